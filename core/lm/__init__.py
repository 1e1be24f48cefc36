"""The small character-level language model of the "Pretraining vs fine-tuning" lesson.

corpus text -> `model` (Flax NNX transformer) -> `train` (jitted scanned chunks) -> `sample` (KV cache)
-> `checkpoint` (the pretrained generic model) -> `lesson` (fine-tuning vs training from scratch).
"""
