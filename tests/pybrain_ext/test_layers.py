"""GRU and ReLU layers: hand-worked values and PyBrain's own gradient check."""
import contextlib
import io
import math

import numpy as np
from pybrain3.structure import IdentityConnection, LinearLayer, RecurrentNetwork
from pybrain3.tests.helpers import gradientCheck

from pybrain_ext.layers import GRULayer, ReluLayer


def alone(layer):
    """The layer in a network of its own (only networks keep time): its input
    is the network's input, its output the network's output."""
    net = RecurrentNetwork()
    net.addInputModule(LinearLayer(layer.indim, name="in"))
    net.addOutputModule(layer)
    net.addConnection(IdentityConnection(net["in"], layer))
    net.sortModules()
    return net


def sig(x):
    return 1 / (1 + math.exp(-x))


def test_relu_forward_and_backward():
    layer = ReluLayer(4)
    out = layer.activate(np.array([-1.0, 0.0, 0.5, 2.0]))
    np.testing.assert_array_equal(out, [0, 0, 0.5, 2.0])
    inerr = layer.backActivate(np.array([1.0, 1.0, 1.0, -3.0]))
    np.testing.assert_array_equal(inerr, [0, 0, 1.0, -3.0])


def test_gru_two_units_by_hand():
    gru = GRULayer(2, name="gru")
    net = alone(gru)
    # U_r, U_z, U_h, each row-major 2x2
    net._setParameters(np.array([0.5, 0.0, 0.0, 0.5,     # U_r = 0.5 I
                                 0.0, 1.0, 1.0, 0.0,     # U_z = swap
                                 1.0, -1.0, 0.0, 2.0]))  # U_h
    # input parts per step: a_r (2), a_z (2), a_h (2)
    xs = [np.array([0.0, 0.0, 0.0, 0.0, 1.0, -1.0]),
          np.array([1.0, -1.0, 0.0, 2.0, 0.5, 0.5]),
          np.array([0.0, 0.0, -1.0, 0.0, 0.0, 1.0])]

    # step 0: h_{-1} = 0, so r, z = sigmoid(a), h = (1 - z) * tanh(a_h)
    z0 = [sig(0.0), sig(0.0)]                       # 0.5, 0.5
    h0 = [(1 - z0[0]) * math.tanh(1.0), (1 - z0[1]) * math.tanh(-1.0)]
    # step 1
    r1 = [sig(1.0 + 0.5 * h0[0]), sig(-1.0 + 0.5 * h0[1])]
    z1 = [sig(0.0 + h0[1]), sig(2.0 + h0[0])]
    uh1 = [h0[0] - h0[1], 2.0 * h0[1]]
    c1 = [math.tanh(0.5 + r1[0] * uh1[0]), math.tanh(0.5 + r1[1] * uh1[1])]
    h1 = [(1 - z1[i]) * c1[i] + z1[i] * h0[i] for i in range(2)]
    # step 2
    r2 = [sig(0.5 * h1[0]), sig(0.5 * h1[1])]
    z2 = [sig(-1.0 + h1[1]), sig(h1[0])]
    uh2 = [h1[0] - h1[1], 2.0 * h1[1]]
    c2 = [math.tanh(r2[0] * uh2[0]), math.tanh(1.0 + r2[1] * uh2[1])]
    h2 = [(1 - z2[i]) * c2[i] + z2[i] * h1[i] for i in range(2)]

    net.reset()
    got = [net.activate(x) for x in xs]
    np.testing.assert_allclose(got, [h0, h1, h2], rtol=1e-14, atol=1e-15)
    # a couple of literal values, so a change to the formulas above shows too
    np.testing.assert_allclose(h0, [0.3807970779778824, -0.3807970779778824], rtol=1e-14)


def test_gru_gradient_check():
    net = alone(GRULayer(3, name="gru"))
    net._setParameters(np.random.default_rng(0).normal(0, 0.5, net.paramdim))
    np.random.seed(0)  # gradientCheck draws its random data set from numpy's global state
    with contextlib.redirect_stdout(io.StringIO()):
        assert gradientCheck(net)
