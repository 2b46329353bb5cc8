"""What one run starts from: its data (`make_data`) and its network with the initial
parameters (`make_network`), built the same way for both engines so that they
start from the same numbers."""
import zlib

import numpy as np

import tasks
from pybrain_ext.network import build_network

# First spawn_key word of the random validation split's stream (config.validation
# "random"), apart from the parameters' default_rng(seed) and the data's streams.
_VALIDATION_STREAM = zlib.crc32(b"reproduce.validation")


def make_data(config):
    """The (train, validation, test) TaskData of the config's variant.

    The data set's seed is ``config.data_set_seed``; with ``validation="random"``
    the training and validation sequences are drawn from the run's ``seed``
    (``tasks.split``).  What the steps without a target become
    (``config.untargeted``) is applied where the data enters an engine.
    """
    data = tasks.generate(config.task, config.k, steps_back=config.steps_back,
                          seed=config.data_set_seed)
    rng = None
    if config.validation == "random":
        rng = np.random.default_rng(np.random.SeedSequence(
            config.seed, spawn_key=(_VALIDATION_STREAM,)))
    return tasks.split(data, validation_rng=rng)


def make_network(config):
    """The config's PyBrain network, with its initial parameters."""
    v = config.variant
    return build_network(config.cell, v.indim, v.outdim, config.layers, config.hidden,
                         config.skip, seed=config.seed, init_variance=config.init_variance,
                         init_scope=config.init_scope)
