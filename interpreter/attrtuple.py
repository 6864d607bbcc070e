"""MicroPython's attrtuple: a tuple whose fields are also attributes, printed
as `(name='micropython', version=(1, 29, 0, ''))` (sys.implementation, os.uname())."""


def attrtuple(fields, values):
    cls = _classes.get(fields)
    if cls is None:
        cls = _classes[fields] = _make_class(fields)
    return cls(values)


def _make_class(fields):
    def __repr__(self):
        return "(" + ", ".join(f"{f}={v!r}" for f, v in zip(fields, self)) + ")"

    namespace = {"__slots__": (), "__repr__": __repr__, "__str__": __repr__}
    for i, name in enumerate(fields):
        namespace[name] = property(lambda self, i=i: tuple.__getitem__(self, i))
    return type("attrtuple", (tuple,), namespace)


_classes = {}
