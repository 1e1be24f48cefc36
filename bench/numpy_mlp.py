"""A plain NumPy MLP with hand-written backpropagation and Adam.

It is the benchmark's NumPy peer and the tests' independent reference for the JAX engine's
logits, loss and gradients. Layers are a list of (kernel (in, out), bias (out,)) pairs.
"""

from __future__ import annotations

import numpy as np


def forward(layers, x):
    """Logits and the activations of every layer (kept for backpropagation)."""
    activations = [x]
    for index, (kernel, bias) in enumerate(layers):
        z = activations[-1] @ kernel + bias
        activations.append(z if index == len(layers) - 1 else np.maximum(z, 0.0))
    return activations[-1], activations


def softmax(logits):
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def cross_entropy(logits, labels):
    """Mean of -log p(label) under the softmax of the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(labels)), labels].mean())


def gradients(layers, x, labels):
    """d(mean cross-entropy)/d(each kernel and bias), by the chain rule layer by layer."""
    logits, activations = forward(layers, x)
    delta = softmax(logits)
    delta[np.arange(len(labels)), labels] -= 1.0
    delta /= len(labels)
    grads = []
    for index in range(len(layers) - 1, -1, -1):
        kernel, _ = layers[index]
        grads.append((activations[index].T @ delta, delta.sum(axis=0)))
        if index:
            delta = (delta @ kernel.T) * (activations[index] > 0)
    return grads[::-1]


def init_layers(sizes, rng):
    """LeCun-normal kernels and zero biases, as Flax's Dense layers start."""
    return [
        (rng.normal(0, np.sqrt(1 / a), (a, b)).astype(np.float32), np.zeros(b, np.float32))
        for a, b in zip(sizes[:-1], sizes[1:])
    ]


def train_epoch(layers, adam_state, x, labels, batch_size, learning_rate, rng):
    """One shuffled pass of Adam (beta1 0.9, beta2 0.999, eps 1e-8) over the data."""
    order = rng.permutation(len(x))
    for start in range(0, len(x), batch_size):
        rows = order[start : start + batch_size]
        grads = gradients(layers, x[rows], labels[rows])
        layers = adam_update(layers, grads, adam_state, learning_rate)
    return layers


def adam_update(layers, grads, adam_state, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8):
    adam_state["step"] += 1
    step, updated = adam_state["step"], []
    for index, (params, grad_pair) in enumerate(zip(layers, grads)):
        new_pair = []
        for slot, (param, grad) in enumerate(zip(params, grad_pair)):
            m, v = adam_state.setdefault((index, slot), (np.zeros_like(param), np.zeros_like(param)))
            m, v = beta1 * m + (1 - beta1) * grad, beta2 * v + (1 - beta2) * grad * grad
            adam_state[(index, slot)] = (m, v)
            new_pair.append(param - learning_rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps))
        updated.append(tuple(new_pair))
    return updated
