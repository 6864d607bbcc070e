"""`gc` on the board. Memory is not really tracked yet: mem_alloc() is an
estimate from the size of the board's globals, against the board's heap."""

import sys
import types

BASE_ALLOC = 4_800   # what a freshly booted rp2 firmware already uses


def heap_used(vm):
    used = BASE_ALLOC
    for value in list(vm.globals.values()):
        try:
            used += sys.getsizeof(value)
        except Exception:
            used += 16
    return min(used, vm.board.definition.heap_bytes)


def make_module(vm):
    module = types.ModuleType("gc")
    heap = vm.board.definition.heap_bytes
    state = {"enabled": True, "threshold": -1}

    def collect():
        return None

    def mem_alloc():
        return heap_used(vm)

    def mem_free():
        return heap - heap_used(vm)

    def enable():
        state["enabled"] = True

    def disable():
        state["enabled"] = False

    def isenabled():
        return state["enabled"]

    def threshold(amount=None):
        if amount is None:
            return state["threshold"]
        state["threshold"] = amount

    module.__dict__.update(collect=collect, mem_alloc=mem_alloc, mem_free=mem_free, enable=enable,
                           disable=disable, isenabled=isenabled, threshold=threshold)
    return module
