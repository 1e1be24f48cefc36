"""The "How one training step works" lesson: one step of a line fit phase by phase (stepper) and
three optimizers racing down the same valley (race)."""
