"""The training engine every lesson shares: datasets, models, jitted scanned training, the Run protocol,
background training and JAX process settings. Imports nothing from core.lessons or core.lm."""
