"""`gc` on the board: mem_free() and mem_alloc() against the board's heap,
from the heap model in memory.py (they add up to the heap's size)."""

import types


def make_module(vm):
    module = types.ModuleType("gc")
    heap = vm.heap
    state = {"enabled": True, "threshold": -1}

    def collect():
        heap.used()         # a fresh look at what is still reachable

    def mem_alloc():
        return heap.used()

    def mem_free():
        return heap.size - heap.used()

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
