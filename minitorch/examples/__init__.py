"""Runnable examples: the source material's PyTorch programs, running on minitorch.

* ``python -m minitorch.examples.transfer_learning``: pretrain, save, reload, freeze, replace ``fc``,
  fine-tune the head on new classes, and compare with random features.
* ``python -m minitorch.examples.cgan``: a conditional GAN on the 8x8 digits, with a grid image
  and a classifier-based quality score.

Each accepts ``--fast`` (or ``MINITORCH_FAST=1``): the same code with fewer epochs.
"""
