"""%part: press a simulated board's buttons and turn its knobs from a cell.

The widgets of %pins do the same by hand; %part is for a lab that must run
unattended (nbval, `boardlab run`) and still read like a lab. On a real board
it only says what to do by hand and goes on, so one notebook serves both.
"""

import difflib

from boardlab.kernel.magics import MagicError, arg, magic

BUTTON_ACTIONS = ("press", "release")


@magic("part", "press a simulated board's button or set a knob or sensor: %part button press",
       arg("name", nargs="?", help="the part, e.g. button, potentiometer, temperature; "
                                   "none: list the board's parts"),
       arg("setting", nargs="?", help="press or release (buttons), a number (knobs and "
                                      "sensors, in the part's unit)"))
async def part(kernel, args):
    connection = await kernel.board()
    board = connection.simulated
    if board is None:
        what = f"{args.setting or 'use'} the {args.name}" if args.name else "use its parts"
        kernel.print(f"{connection.url} is a real board: {what} by hand. "
                     "%part acts on simulated boards only.")
        return
    parts = {name: p for name, p in board.parts.items() if p.kind in ("button", "slider")}
    if args.name is None:
        kernel.print(listing(parts))
        return
    found = parts.get(args.name)
    if found is None:
        close = difflib.get_close_matches(args.name, parts, n=1)
        hint = f"Did you mean {close[0]}? " if close else ""
        raise MagicError(f"%part: {connection.url} has no part {args.name!r}. {hint}"
                         f"Its parts: {', '.join(parts)}.")
    if args.setting is None:
        kernel.print(describe(found))
    elif found.kind == "button":
        if args.setting not in BUTTON_ACTIONS:
            raise MagicError(f"%part {found.name}: a button takes press or release, "
                             f"not {args.setting!r}.")
        if args.setting == "press":
            found.press()
        else:
            found.release()
    else:
        found.value = slider_value(found, args.setting)


def slider_value(found, text):
    try:
        value = float(text)
    except ValueError:
        raise MagicError(f"%part {found.name}: give a number ({range_of(found)}), "
                         f"not {text!r}.") from None
    if not found.minimum <= value <= found.maximum:
        raise MagicError(f"%part {found.name}: {text} is outside its range, "
                         f"{range_of(found)}.")
    return value


def range_of(found):
    return f"{found.minimum:g} to {found.maximum:g} {found.unit}".rstrip()


def describe(found):
    if found.kind == "button":
        state = "pressed" if found.pressed else "released"
        return f"{found.name}: {state} ({found.label})"
    return f"{found.name}: {found.value:g} {found.unit} ({found.label}; {range_of(found)})"


def listing(parts):
    lines = ["The simulated board's parts (%part NAME press|release|NUMBER):"]
    lines += [f"  {describe(p)}" for p in parts.values()]
    return "\n".join(lines)
