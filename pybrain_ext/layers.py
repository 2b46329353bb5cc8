"""The two layers the paper used that PyBrain 3.0.4 lacks: GRU and ReLU.

Both are written the way PyBrain writes its own layers (compare
``pybrain3/structure/modules/lstm.py``): per-time-step buffers listed in
``bufferlist``, time in ``self.offset``, and the pair
``_forwardImplementation`` / ``_backwardImplementation``.  The "errors" PyBrain
propagates are ``target - output`` style quantities (the negative gradient);
the derivatives accumulate in the same convention.
"""
from numpy import maximum, outer, tanh
from pybrain3.structure.modules.module import Module
from pybrain3.structure.modules.neuronlayer import NeuronLayer
from pybrain3.structure.parametercontainer import ParameterContainer
from pybrain3.tools.functions import sigmoid


class ReluLayer(NeuronLayer):
    """Layer of rectified linear units, ``max(0, x)``.

    The derivative is taken as ``1[x > 0]`` (zero at 0).
    """

    def _forwardImplementation(self, inbuf, outbuf):
        outbuf[:] = maximum(inbuf, 0)

    def _backwardImplementation(self, outerr, inerr, outbuf, inbuf):
        inerr[:] = (inbuf > 0) * outerr


class GRULayer(NeuronLayer, ParameterContainer):
    """Gated recurrent unit layer (Cho et al. 2014).

    The input consists of 3 parts, in the following order:

    - reset gate (``a_r``)
    - update gate (``a_z``)
    - candidate (``a_h``)

    The recurrence lives inside the layer: it owns three ``dim x dim`` matrices
    ``U_r, U_z, U_h`` as its parameters, stored in that order, each row-major::

        r_t = sigmoid(a_r + U_r h_{t-1})
        z_t = sigmoid(a_z + U_z h_{t-1})
        c_t = tanh(a_h + r_t * (U_h h_{t-1}))      # the candidate, h-hat
        h_t = (1 - z_t) * c_t + z_t * h_{t-1}       # h_{-1} = 0

    Note that the reset gate multiplies the product ``U_h h_{t-1}``.
    """

    sequential = True
    maxoffset = 0

    def __init__(self, dim, name=None):
        """:arg dim: number of units."""
        self.setArgs(dim=dim)
        self.bufferlist = [
            ('resetgate', dim),
            ('updategate', dim),
            ('candidate', dim),
            ('resetrec', dim),          # U_h h_{t-1}, before the reset gate
            ('outputtotalerror', dim),  # error on h_t, including from step t+1
            ('resetgateError', dim),    # errors on the pre-activations
            ('updategateError', dim),
            ('candidateError', dim),
        ]
        Module.__init__(self, 3 * dim, dim, name)
        ParameterContainer.__init__(self, 3 * dim * dim)
        self._setParameters(self.params)
        self._setDerivatives(self.derivs)

    def _setParameters(self, p, owner=None):
        ParameterContainer._setParameters(self, p, owner)
        dim = self.outdim
        self.resetWeights = self.params[:dim * dim].reshape(dim, dim)
        self.updateWeights = self.params[dim * dim:2 * dim * dim].reshape(dim, dim)
        self.candidateWeights = self.params[2 * dim * dim:].reshape(dim, dim)

    def _setDerivatives(self, d, owner=None):
        ParameterContainer._setDerivatives(self, d, owner)
        dim = self.outdim
        self.resetDerivs = self.derivs[:dim * dim].reshape(dim, dim)
        self.updateDerivs = self.derivs[dim * dim:2 * dim * dim].reshape(dim, dim)
        self.candidateDerivs = self.derivs[2 * dim * dim:].reshape(dim, dim)

    def reset(self):
        Module.reset(self)
        self.maxoffset = 0

    def _isLastTimestep(self):
        """Tell whether the current offset is the last one of the sequence."""
        return self.offset + 1 >= self.maxoffset

    def _forwardImplementation(self, inbuf, outbuf):
        self.maxoffset = max(self.offset + 1, self.maxoffset)
        dim = self.outdim
        t = self.offset
        ax_r, ax_z, ax_h = inbuf[:dim], inbuf[dim:2 * dim], inbuf[2 * dim:]
        if t > 0:
            hprev = self.outputbuffer[t - 1]
            self.resetgate[t] = sigmoid(ax_r + self.resetWeights.dot(hprev))
            self.updategate[t] = sigmoid(ax_z + self.updateWeights.dot(hprev))
            self.resetrec[t] = self.candidateWeights.dot(hprev)
        else:
            self.resetgate[t] = sigmoid(ax_r)
            self.updategate[t] = sigmoid(ax_z)
            self.resetrec[t] = 0
        self.candidate[t] = tanh(ax_h + self.resetgate[t] * self.resetrec[t])
        outbuf[:] = (1 - self.updategate[t]) * self.candidate[t]
        if t > 0:
            outbuf += self.updategate[t] * self.outputbuffer[t - 1]

    def _backwardImplementation(self, outerr, inerr, outbuf, inbuf):
        dim = self.outdim
        t = self.offset
        herr = self.outputtotalerror[t]
        herr[:] = outerr
        if not self._isLastTimestep():
            # h_t feeds step t+1 directly (through z) and through U_r, U_z, U_h.
            herr += self.outputtotalerror[t + 1] * self.updategate[t + 1]
            herr += self.resetWeights.T.dot(self.resetgateError[t + 1])
            herr += self.updateWeights.T.dot(self.updategateError[t + 1])
            herr += self.candidateWeights.T.dot(
                self.resetgate[t + 1] * self.candidateError[t + 1])
        z, c, r = self.updategate[t], self.candidate[t], self.resetgate[t]
        hprev = self.outputbuffer[t - 1] if t > 0 else 0 * outbuf
        self.candidateError[t] = herr * (1 - z) * (1 - c * c)
        self.updategateError[t] = herr * (hprev - c) * z * (1 - z)
        self.resetgateError[t] = self.candidateError[t] * self.resetrec[t] * r * (1 - r)
        if t > 0:
            self.resetDerivs += outer(self.resetgateError[t], hprev)
            self.updateDerivs += outer(self.updategateError[t], hprev)
            self.candidateDerivs += outer(r * self.candidateError[t], hprev)
        inerr[:dim] = self.resetgateError[t]
        inerr[dim:2 * dim] = self.updategateError[t]
        inerr[2 * dim:] = self.candidateError[t]
