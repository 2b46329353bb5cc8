"""Compiled passes of the batched engine (numba), computing what the numpy steps compute.

The numpy path (:mod:`pybrain_ext.batched.cells`, driven by
:mod:`~pybrain_ext.batched.engine`) runs each operation over all networks of a
batch at once: at H = 50 one gate array of 64 networks is 3.7 MB, so every
one of an LSTM step's ~25 elementwise operations is a pass through memory.
Here a hidden layer's whole pass over time runs in one compiled call that
takes the networks one at a time, and for each step does the step's matrix
product and all of its elementwise work while the step's numbers (at most
``4H x seqs`` of them) are in the first-level caches.

Where the numbers come from, so that they are the numpy path's to the bit:

* matrix products: the same ``cblas_dgemm`` of the same OpenBLAS that
  ``np.matmul`` calls (numpy's own, so :func:`~pybrain_ext.batched.runtime.one_blas_thread`
  governs it), on the same operands;
* ``exp`` and ``tanh``: numpy's own vectorised inner loops (the ``d->d`` loop
  of ``np.exp`` and ``np.tanh``), called on each step's contiguous blocks.
  numba's ``math.exp``/``math.tanh`` are scalar libm calls, 5x slower here and
  not numpy's results (their ``tanh`` differs from numpy's in the last bit for
  about a quarter of inputs);
* everything else: the numpy steps' formulas in their order of evaluation (numba
  does not contract ``a * b + c`` into a fused multiply-add).

Both function addresses are looked up once per process and passed to the
compiled functions as arguments, so ``cache=True`` can keep the machine code
on disk: a process compiles once (seconds), later processes load it.

:data:`AVAILABLE` is False where numba is missing or an address cannot be
found (checked on a few inputs against the ufuncs themselves); the engine then
runs the numpy path.  :data:`ENABLED` (default: :data:`AVAILABLE`, or False
with ``PYBRAIN_EXT_KERNELS=numpy`` in the environment) chooses the path.
"""
import ctypes
import os

import numpy as np

try:
    import numba
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic
except ImportError:             # the numpy path runs instead
    numba = None

from pybrain_ext.batched.cells import CELL_TYPES, SAFE_EXP_BOUND

# The cells compiled here, by the code the registry gives them (CellType.kernel); any
# other cell of the registry runs its numpy steps.
CODES = {name: cell.kernel for name, cell in CELL_TYPES.items() if cell.kernel is not None}
LSTM, GRU, TANH, SIGMOID, RELU = (CODES[name] for name in ("lstm", "gru", "tanh", "sigmoid",
                                                           "relu"))
# cblas enums
_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112


class _UFuncHead(ctypes.Structure):
    """The head of numpy's ``PyUFuncObject`` (numpy/ufuncobject.h, public C API)."""
    _fields_ = [("ob_refcnt", ctypes.c_ssize_t), ("ob_type", ctypes.c_void_p),
                ("nin", ctypes.c_int), ("nout", ctypes.c_int), ("nargs", ctypes.c_int),
                ("identity", ctypes.c_int), ("functions", ctypes.c_void_p),
                ("data", ctypes.c_void_p), ("ntypes", ctypes.c_int), ("reserved1", ctypes.c_int),
                ("name", ctypes.c_char_p), ("types", ctypes.c_void_p)]


_LOOP = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
                         ctypes.c_void_p)


def _float_loop(ufunc):
    """Address of a one-input ufunc's float64 inner loop, checked against the ufunc."""
    head = _UFuncHead.from_address(id(ufunc))
    if (head.nin, head.nout, head.ntypes, head.name) != \
            (1, 1, ufunc.ntypes, ufunc.__name__.encode()):
        raise LookupError(f"unexpected PyUFuncObject layout for {ufunc.__name__}")
    codes = ctypes.string_at(head.types, 2 * head.ntypes)
    index = [codes[2 * i:2 * i + 2] for i in range(head.ntypes)].index(
        bytes([np.dtype(float).num] * 2))
    if head.data and (ctypes.c_void_p * head.ntypes).from_address(head.data)[index]:
        raise LookupError(f"{ufunc.__name__}'s float64 loop needs data")
    address = (ctypes.c_void_p * head.ntypes).from_address(head.functions)[index]
    x = np.array([-710.0, -500.0, -20.0, -1.0, -1e-9, -0.0, 0.0, 3e-10, 0.7, 19.5, 500.0,
                  710.0, np.inf, -np.inf, np.nan] + list(np.linspace(-30, 30, 101)))
    y = np.empty_like(x)
    argv = (ctypes.c_void_p * 2)(x.ctypes.data, y.ctypes.data)
    with np.errstate(all="ignore"):
        _LOOP(address)(argv, (ctypes.c_int64 * 1)(x.size), (ctypes.c_int64 * 2)(8, 8), None)
        if not np.array_equal(y, ufunc(x), equal_nan=True):
            raise LookupError(f"{ufunc.__name__}'s float64 loop is not the ufunc's")
    return address


def _dgemm():
    """Address of ``cblas_dgemm`` in numpy's OpenBLAS (64-bit integers)."""
    from pybrain_ext.batched.runtime import numpy_openblas
    library = numpy_openblas()
    names = [n for n in ("scipy_cblas_dgemm64_", "cblas_dgemm64_")
             if library is not None and hasattr(library, n)]
    if not names:
        raise LookupError("numpy's OpenBLAS cblas_dgemm (ILP64) not found")
    dgemm = getattr(library, names[0])
    i64, f64, ptr = ctypes.c_int64, ctypes.c_double, ctypes.c_void_p
    dgemm.argtypes = [ctypes.c_int] * 3 + [i64] * 3 + [f64, ptr, i64, ptr, i64, f64, ptr, i64]
    a, b = np.arange(12.0).reshape(3, 4) / 7, np.arange(8.0).reshape(4, 2) / 3
    c = np.empty((3, 2))
    dgemm(_ROW_MAJOR, _NO_TRANS, _NO_TRANS, 3, 2, 4, 1.0, a.ctypes.data, 4, b.ctypes.data, 2,
          0.0, c.ctypes.data, 2)
    if not np.array_equal(c, a @ b):
        raise LookupError("numpy's OpenBLAS cblas_dgemm does not compute np.matmul's product")
    return ctypes.cast(dgemm, ctypes.c_void_p).value


def _addresses():
    try:
        return np.array([_float_loop(np.exp), _float_loop(np.tanh), _dgemm()], dtype=np.uintp)
    except (LookupError, ValueError, OSError):
        return None


ADDRESSES = _addresses() if numba is not None else None   # exp loop, tanh loop, dgemm
AVAILABLE = ADDRESSES is not None
ENABLED = AVAILABLE and os.environ.get("PYBRAIN_EXT_KERNELS", "") != "numpy"


def code_for(cell):
    """The compiled functions' code of `cell`, or None where the numpy path runs it
    (numba missing or switched off, or a cell without kernels here)."""
    return CELL_TYPES[cell].kernel if enabled() else None


def enabled():
    """Whether the engine runs the compiled passes now."""
    return ENABLED and AVAILABLE


if numba is not None:
    _BYTE_PTR = ir.IntType(8).as_pointer()

    @intrinsic
    def _call_loop(typingctx, function, argv, dimensions, steps):
        """``function(argv, dimensions, steps, NULL)``: a numpy inner loop at an address."""
        def codegen(context, builder, signature, args):
            fnty = ir.FunctionType(ir.VoidType(), [_BYTE_PTR] * 4)
            call = builder.inttoptr(args[0], fnty.as_pointer())
            builder.call(call, [builder.inttoptr(a, _BYTE_PTR) for a in args[1:]]
                         + [ir.Constant(_BYTE_PTR, None)])
        return types.void(types.uintp, types.uintp, types.uintp, types.uintp), codegen

    @intrinsic
    def _call_dgemm(typingctx, function, trans_a, trans_b, m, n, k, a, lda, b, ldb, beta, c,
                    ldc):
        """Row-major ``c = op(a) op(b) + beta c`` by the ``cblas_dgemm`` at ``function``
        (``a, b, c`` addresses)."""
        def codegen(context, builder, signature, args):
            i32, i64, f64 = ir.IntType(32), ir.IntType(64), ir.DoubleType()
            ptr = f64.as_pointer()
            fnty = ir.FunctionType(ir.VoidType(), [i32, i32, i32, i64, i64, i64, f64, ptr, i64,
                                                   ptr, i64, f64, ptr, i64])
            call = builder.inttoptr(args[0], fnty.as_pointer())
            _, ta, tb, m_, n_, k_, a_, lda_, b_, ldb_, beta_, c_, ldc_ = args
            builder.call(call, [ir.Constant(i32, _ROW_MAJOR), ta, tb, m_, n_, k_,
                                ir.Constant(f64, 1.0), builder.inttoptr(a_, ptr), lda_,
                                builder.inttoptr(b_, ptr), ldb_, beta_,
                                builder.inttoptr(c_, ptr), ldc_])
        sig = types.void(types.uintp, types.int32, types.int32, types.int64, types.int64,
                         types.int64, types.uintp, types.int64, types.uintp, types.int64,
                         types.float64, types.uintp, types.int64)
        return sig, codegen

    jit = numba.njit(cache=True, error_model="numpy")
    inline = numba.njit(cache=True, error_model="numpy", inline="always")
else:                                   # never called: enabled() is False
    def jit(function):
        return function
    inline = jit


# --- numpy's loops and BLAS ------------------------------------------------------------

@inline
def _apply(function, control, x, y):
    """``y = f(x)`` elementwise by numpy's inner loop ``function`` (1-d contiguous arrays).

    ``control`` (5 uintp) holds the loop's argument pointers, length and strides.
    """
    control[0] = x.ctypes.data
    control[1] = y.ctypes.data
    control[2] = x.size
    control[3] = 8
    control[4] = 8
    base = control.ctypes.data
    _call_loop(function, base, base + 16, base + 24)


@inline
def _negate_clip(x, n):
    """``x[:n] = -x[:n]``, then at most ``SAFE_EXP_BOUND`` (sigmoid's safeExp; NaN stays)."""
    for j in range(n):
        v = -x[j]
        x[j] = SAFE_EXP_BOUND if v > SAFE_EXP_BOUND else v


@inline
def _sigmoid_of_exp(e, out):
    """``out = 1 / (1 + e)`` with ``e = safeExp(-x)``: PyBrain's sigmoid, finished."""
    for j in range(out.size):
        out[j] = 1.0 / (e[j] + 1.0)


# --- forward steps: pre (B*H*S,) in the cell's block order -> state ------------------
# Each mirrors its numpy step in cells.py operation for operation.

@inline
def _lstm_forward(fns, control, pre, HS, i, f, o, g, c, c_prev, tc, h, first):
    _negate_clip(pre, 3 * HS)
    _apply(fns[0], control, pre[:3 * HS], pre[:3 * HS])
    _sigmoid_of_exp(pre[:HS], i)
    _sigmoid_of_exp(pre[HS:2 * HS], f)
    _sigmoid_of_exp(pre[2 * HS:3 * HS], o)
    _apply(fns[1], control, pre[3 * HS:], g)
    if first:
        for j in range(HS):
            c[j] = i[j] * g[j]
    else:
        for j in range(HS):
            c[j] = i[j] * g[j] + f[j] * c_prev[j]
    _apply(fns[1], control, c, tc)
    for j in range(HS):
        h[j] = o[j] * tc[j]


@inline
def _gru_forward(fns, control, pre, HS, r, z, uh, hhat, h, h_prev, first):
    _negate_clip(pre, 2 * HS)
    _apply(fns[0], control, pre[:2 * HS], pre[:2 * HS])
    _sigmoid_of_exp(pre[:HS], r)
    _sigmoid_of_exp(pre[HS:2 * HS], z)
    candidate = pre[3 * HS:]
    for j in range(HS):
        uh[j] = pre[2 * HS + j]
        candidate[j] = candidate[j] + r[j] * uh[j]
    _apply(fns[1], control, candidate, hhat)
    if first:
        for j in range(HS):
            h[j] = (1 - z[j]) * hhat[j]
    else:
        for j in range(HS):
            h[j] = (1 - z[j]) * hhat[j] + z[j] * h_prev[j]


@inline
def _simple_forward(code, fns, control, pre, h):
    if code == TANH:
        _apply(fns[1], control, pre, h)
    elif code == SIGMOID:
        _negate_clip(pre, pre.size)
        _apply(fns[0], control, pre, pre)
        _sigmoid_of_exp(pre, h)
    else:                                   # relu: np.maximum(pre, 0), NaN kept
        for j in range(h.size):
            v = pre[j]
            h[j] = v if (v > 0.0 or v != v) else 0.0


@jit
def forward_layer(code, fns, V, X, act, c, tc, steps, seqs, hidden):
    """One hidden layer of every network over all steps, in place (the numpy path's loop).

    Parameters
    ----------
    code : int
        The cell (:data:`CODES`).
    fns : uintp array
        :data:`ADDRESSES`.
    V : (models, B*H, H+F) float array
        Packed weights (engine layout).
    X : (models, H+F, (T+1)*seqs) float array
        Stacked inputs with the layer below's h and the inputs filled in and
        ``h_{-1} = 0``; every ``h_t`` is written into its rows ``:H``.
    act : (T, B, models, H, seqs);  c, tc : (T, models, H, seqs) float arrays
        The cell's state buffers (any shape where the cell has none).
    """
    M, R, W = V.shape
    C = X.shape[2]
    S, H = seqs, hidden
    HS = H * S
    pre = np.empty(R * S)
    h = np.empty(HS)
    control = np.empty(5, np.uintp)
    for m in range(M):
        for t in range(steps):
            _call_dgemm(fns[2], _NO_TRANS, _NO_TRANS, R, S, W, V[m].ctypes.data, W,
                        X[m].ctypes.data + 8 * t * S, C, 0.0, pre.ctypes.data, S)
            first = t == 0
            if code == LSTM:
                a = act[t]
                _lstm_forward(fns, control, pre, HS, a[0, m].ravel(), a[1, m].ravel(),
                              a[2, m].ravel(), a[3, m].ravel(), c[t, m].ravel(),
                              c[t - 1, m].ravel(), tc[t, m].ravel(), h, first)
            elif code == GRU:
                a = act[t]
                _gru_forward(fns, control, pre, HS, a[0, m].ravel(), a[1, m].ravel(),
                             a[2, m].ravel(), tc[t, m].ravel(), h, h, first)  # h: h_{t-1} -> h_t
            else:
                _simple_forward(code, fns, control, pre, h)
            for u in range(H):              # h_t into X, where step t+1 and the layer above read it
                for s in range(S):
                    X[m, u, (t + 1) * S + s] = h[u * S + s]


# --- backward steps: error on h_t -> delta (B*H*S,) in the cell's block order -------

@inline
def _lstm_backward(e, HS, i, f, o, g, c_prev, tc, carry, has_carry, delta, first):
    for j in range(HS):
        do = o[j] * (1 - o[j]) * e[j] * tc[j]
        dc = e[j] * o[j] * (1 - tc[j] * tc[j])
        if has_carry:
            dc += carry[j]
        delta[3 * HS + j] = i[j] * (1 - g[j] * g[j]) * dc
        delta[HS + j] = 0.0 if first else f[j] * (1 - f[j]) * dc * c_prev[j]
        delta[j] = i[j] * (1 - i[j]) * dc * g[j]
        delta[2 * HS + j] = do
        carry[j] = dc * f[j]


@inline
def _gru_backward(e, HS, r, z, uh, hhat, h_prev, carry, has_carry, delta, first):
    for j in range(HS):
        ej = e[j] + carry[j] if has_carry else e[j]
        hp = 0.0 if first else h_prev[j]
        dah = ej * (1 - z[j]) * (1 - hhat[j] * hhat[j])
        delta[3 * HS + j] = dah
        delta[HS + j] = ej * (hp - hhat[j]) * z[j] * (1 - z[j])
        delta[j] = dah * uh[j] * r[j] * (1 - r[j])
        delta[2 * HS + j] = r[j] * dah
        carry[j] = ej * z[j]


@inline
def _simple_backward(code, e, h, delta):
    if code == TANH:
        for j in range(h.size):
            delta[j] = (1 - h[j] * h[j]) * e[j]
    elif code == SIGMOID:
        for j in range(h.size):
            delta[j] = h[j] * (1 - h[j]) * e[j]
    else:                                   # relu: 1[h > 0] e
        for j in range(h.size):
            delta[j] = (1.0 if h[j] > 0 else 0.0) * e[j]


@inline
def _read_rows(X, m, rows, column, width, out):
    """``out = X[m, :rows, column:column + width]``, flattened."""
    for u in range(rows):
        for s in range(width):
            out[u * width + s] = X[m, u, column + s]


@jit
def backward_layer(code, fns, V, X, act, c, tc, dh, dh_below, dV, steps, seqs, hidden,
                   below):
    """Backpropagation through one hidden layer of every network (the numpy path's loop).

    Parameters
    ----------
    code, fns, V, X, act, c, tc, steps, seqs, hidden
        As for :func:`forward_layer`, after it ran.
    dh : (models, H, T*seqs) float array
        Error on every h_t from the output and the layer above.
    dh_below : (models, H, T*seqs) float array
        Where ``below``: error on the layer below's h, added to.
    dV : (models, B*H, H+F) float array
        Out: the derivatives of ``V``, summed over steps and sequences.
    """
    M, R, W = V.shape
    C = X.shape[2]
    T, S, H = steps, seqs, hidden
    HS = H * S
    k = 2 * H if below else H               # V^T's rows for h_{t-1} (and the layer below)
    delta = np.empty(R * S)
    product = np.empty(R * W)
    back = np.empty(k * S)
    e = np.empty(HS)
    carry = np.empty(HS)
    h = np.empty(HS)
    for m in range(M):
        dV[m] = 0.0
        for t in range(T - 1, -1, -1):
            column = t * S
            last = t == T - 1
            for u in range(H):
                for s in range(S):
                    e[u * S + s] = dh[m, u, column + s] if last else \
                        dh[m, u, column + s] + back[u * S + s]
            first = t == 0
            if code == LSTM:
                a = act[t]
                _lstm_backward(e, HS, a[0, m].ravel(), a[1, m].ravel(), a[2, m].ravel(),
                               a[3, m].ravel(), c[t - 1, m].ravel(), tc[t, m].ravel(), carry,
                               not last, delta, first)
            elif code == GRU:
                a = act[t]
                _read_rows(X, m, H, column, S, h)              # h_{t-1}
                _gru_backward(e, HS, a[0, m].ravel(), a[1, m].ravel(), a[2, m].ravel(),
                              tc[t, m].ravel(), h, carry, not last, delta, first)
            else:
                _read_rows(X, m, H, column + S, S, h)          # h_t
                _simple_backward(code, e, h, delta)
            if t > 0 or below:                  # back = V[:, :k]^T delta_t
                _call_dgemm(fns[2], _TRANS, _NO_TRANS, k, S, R, V[m].ctypes.data, W,
                            delta.ctypes.data, S, 0.0, back.ctypes.data, S)
            if below:
                for u in range(H):
                    for s in range(S):
                        dh_below[m, u, column + s] += back[HS + u * S + s]
            # dV += delta_t [h_{t-1}; x_t]^T: a product, then a sum, as the numpy path sums
            # (beta = 1 need not round the same)
            _call_dgemm(fns[2], _NO_TRANS, _TRANS, R, W, S, delta.ctypes.data, S,
                        X[m].ctypes.data + 8 * column, C, 0.0, product.ctypes.data, W)
            dV_m = dV[m].ravel()
            for j in range(R * W):
                dV_m[j] += product[j]


@jit
def rprop_step(params, derivs, theta, last, etaplus, etaminus, deltamin, deltamax):
    """:func:`pybrain_ext.batched.training.rprop_step` in one pass (same arguments, 2-d)."""
    for m in range(params.shape[0]):
        for j in range(params.shape[1]):
            d = derivs[m, j]
            sign = 1.0 if d > 0 else (-1.0 if d < 0 else (0.0 if d == 0 else d))   # np.sign
            params[m, j] += sign * theta[m, j]
            switch = last[m, j] * d
            factor = etaplus if switch > 0 else (etaminus if switch < 0 else 1.0)
            step = theta[m, j] * factor
            theta[m, j] = deltamax if step > deltamax else (deltamin if step < deltamin else step)
            last[m, j] = 0.0 if switch < 0 else d
