"""What the pages share: charts, live training, controls and sample views. Imports no JAX, Flax or Optax."""
