"""Shift-Tab on the MicroPython API: the stubs' docstrings, written in
reStructuredText, as the inspect_reply's plain text and Markdown."""

import re

import pytest

from boardlab.kernel import stubs
from boardlab.kernel.inspection import inspect


def plain(name, level):
    return inspect(name, None, level, None)["data"]["text/plain"]


# The reStructuredText the MicroPython stubs' docstrings are written in.
SENSOR_STUB = '''"""Hardware."""

class Sensor:
    """
    Reads a :class:`Pin` with :meth:`Pin.value` (see :ref:`the rules <isr_rules>`,
    :ref:`soft_reset` and :func:`~machine.time_pulse_us`), ``Pin.IN`` and `atten`,
    as in `RFC 3548 <https://tools.ietf.org/html/rfc3548.html>`_; a <pin> too.

    Usage::

        s = Sensor(2)
        s.read()

    .. note::

       Values are *raw*.

    The modes are:

      - ``FAST`` reads at once.
      - ``SLOW`` waits, then reads

        - a second at most.

    Timing
    ------

    ======  =====
    Mode    Delay
    ======  =====
    ``F``   0
    ======  =====

    >>> s.read()
    12

    .. code-block:: python

        import rp2

    1. Wire it.
    2. Read it.

    .. admonition:: Difference to CPython
       :class: attention

       None.
    """
'''

SENSOR_TEXT = """\
Reads a Pin with Pin.value() (see the rules,
soft reset and time_pulse_us()), Pin.IN and atten,
as in RFC 3548 (https://tools.ietf.org/html/rfc3548.html); a <pin> too.

Usage:

    s = Sensor(2)
    s.read()

Note: Values are *raw*.

The modes are:

- FAST reads at once.

- SLOW waits, then reads

  - a second at most.

Timing
------

======  =====
Mode    Delay
======  =====
F       0
======  =====

    >>> s.read()
    12

    import rp2

1. Wire it.
2. Read it.

Difference to CPython: None."""

SENSOR_MARKDOWN = """\
Reads a `Pin` with `Pin.value()` (see the rules, soft reset and `time_pulse_us()`), \
`Pin.IN` and `atten`, as in [RFC 3548](https://tools.ietf.org/html/rfc3548.html); a &lt;pin> too.

Usage:

```python
s = Sensor(2)
s.read()
```

> **Note:** Values are *raw*.

The modes are:

- `FAST` reads at once.

- `SLOW` waits, then reads

  - a second at most.

**Timing**

```
======  =====
Mode    Delay
======  =====
F       0
======  =====
```

```python
>>> s.read()
12
```

```python
import rp2
```

1. Wire it.
2. Read it.

> **Difference to CPython:** None."""


@pytest.fixture
def sensor_stubs(tmp_path, monkeypatch):
    """Stubs that document one class, machine.Sensor."""
    (tmp_path / "machine.pyi").write_text(SENSOR_STUB)
    monkeypatch.setenv("BOARDLAB_STUBS", str(tmp_path))
    stubs.for_port.cache_clear()
    yield
    stubs.for_port.cache_clear()


def test_shift_tab_shows_restructuredtext_as_plain_text_and_markdown(sensor_stubs):
    reply = inspect("machine.Sensor", None, 1, None)
    text, markdown = reply["data"]["text/plain"], reply["data"]["text/markdown"]
    assert text.split("Docstring:\n")[1].split("\nSource:")[0] == SENSOR_TEXT
    assert markdown.split("```\n\n", 1)[1].split("\n\n*stubs in")[0] == SENSOR_MARKDOWN


def test_shift_tab_on_the_api_shows_no_restructuredtext():
    for name in ("machine.ADC", "machine.Pin", "machine.Pin.irq", "machine.Timer"):
        for level in (0, 1):
            data = inspect(name, None, level, None)["data"]
            for shown in data.values():
                assert not re.search(r":\w+:`|\.\. \w+::|(?<!`)``(?!`)|\w::$", shown, re.M), shown
    text = plain("machine.ADC", 1)
    assert "a\nPin object" in text                       # :ref:`Pin <machine.Pin>`
    assert "Example usage:\n\n    import machine\n" in text
    assert "Note: WiPy has a custom implementation of ADC" in text
    assert "- Pin.IN - Pin is configured for input." in plain("machine.Pin", 1)


def test_shift_tab_cuts_the_tooltip_between_blocks():
    text = plain("machine.Pin", 0)
    assert text.endswith("    p0.irq(lambda p:print(p))\n\n[...] (Shift-Tab again for more)\n")
    assert "[...]" not in plain("machine.Pin", 1)
