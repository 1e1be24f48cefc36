"""The dashboard's pages, plus `live`, the shared machinery that trains and redraws them live."""
