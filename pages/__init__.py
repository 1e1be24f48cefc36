"""The dashboard's pages, plus `live` (training live in a fragment) and `widgets` (shared controls)."""
