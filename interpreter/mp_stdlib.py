"""Modules MicroPython firmware has that CPython's standard library provides:
each board gets a module showing only the names MicroPython's version has,
backed by CPython's functions. `random` is the board's own seeded generator.
"""

import types

# module -> (CPython module, names MicroPython's version of it has)
SURFACES = {
    "math": ("math", """acos acosh asin asinh atan atan2 atanh ceil copysign cos cosh
        degrees e erf erfc exp expm1 fabs factorial floor fmod frexp gamma inf
        isclose isfinite isinf isnan ldexp lgamma log log10 log2 modf nan pi pow
        radians sin sinh sqrt tan tanh tau trunc"""),
    "cmath": ("cmath", "cos e exp log log10 phase pi polar rect sin sqrt"),
    "json": ("json", "dump dumps load loads"),
    "re": ("re", "compile match search sub split DEBUG"),
    "struct": ("struct", "calcsize pack pack_into unpack unpack_from"),
    "binascii": ("binascii", "a2b_base64 b2a_base64 crc32 hexlify unhexlify"),
    "collections": ("collections", "OrderedDict deque namedtuple defaultdict"),
    "io": ("io", "BytesIO IOBase StringIO"),
    "heapq": ("heapq", "heapify heappop heappush"),
    "array": ("array", "array"),
}

RANDOM_NAMES = "choice getrandbits randint random randrange seed uniform".split()


def _surface(name, host_name, names):
    host = __import__(host_name)
    module = types.ModuleType(name)
    for attr in names.split():
        if hasattr(host, attr):
            setattr(module, attr, getattr(host, attr))
    return module


def make_random(vm):
    module = types.ModuleType("random")
    for attr in RANDOM_NAMES:
        setattr(module, attr, getattr(vm.random, attr))
    return module


def _hash_class(name, constructor):
    class Hash:
        """A MicroPython hash object: update() and digest() only (no
        hexdigest, no copy; binascii.hexlify(h.digest()) gives the hex)."""

        def __init__(self, data=None):
            self._hash = constructor()
            if data is not None:
                self.update(data)

        def update(self, data):
            self._hash.update(data)

        def digest(self):
            return self._hash.digest()

    Hash.__name__ = Hash.__qualname__ = name
    return Hash


def make_hashlib(vm):
    import hashlib
    module = types.ModuleType("hashlib")
    module.sha1 = _hash_class("sha1", hashlib.sha1)
    module.sha256 = _hash_class("sha256", hashlib.sha256)
    return module


def factories():
    """name -> make_module(vm) for every module in this file."""
    table = {"hashlib": make_hashlib}
    for name, (host_name, names) in SURFACES.items():
        table[name] = lambda vm, name=name, host_name=host_name, names=names: _surface(name, host_name, names)
    table["random"] = make_random
    return table
