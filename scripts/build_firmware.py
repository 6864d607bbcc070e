"""Build the simulated boards' firmware: MicroPython v1.28.0 for a virtual
board, one .wasm per board, into interpreter/firmware/.

Steps (each skipped when its result is already there):
  1. the toolchain into build/toolchain: PyPI ziglang (clang for wasm32-wasi
     with wasi-libc) in a venv of its own, npm binaryen (wasm-opt);
  2. MicroPython's tree: unpacked from the tarball into build/, or a tree given;
  3. mpy-cross, natively (gcc), for the frozen modules;
  4. per board: `make` in interpreter/port, then wasm-opt (see WASM_OPT_PASSES);
  5. the result is copied to interpreter/firmware/ (or, with --check,
     compared with what is committed there).

The build is reproducible: the same source and toolchain give the same bytes
(SOURCE_DATE_EPOCH fixes the date in the banner to the release's).
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = ROOT / "interpreter" / "port"
FIRMWARE = ROOT / "interpreter" / "firmware"
BUILD = ROOT / "build"
TOOLCHAIN = BUILD / "toolchain"
# MicroPython's source: BOARDLAB_MICROPYTHON_SOURCE, else the tarball beside the checkout.
DEFAULT_SOURCE = os.environ.get("BOARDLAB_MICROPYTHON_SOURCE") or \
    ROOT.parent / "shared" / "micropython-1.28.0.tar.gz"
# Each simulated board and the MicroPython board build it is (interpreter/port/boards/).
BOARDS = {"pico": "RPI_PICO", "picow": "RPI_PICO_W", "esp32": "ESP32_GENERIC"}

ZIGLANG = "ziglang==0.17.1"
BINARYEN = "binaryen@132.0.0"
# MicroPython v1.28.0's release date (2026-04-06): the banner reads "on 2026-04-06".
SOURCE_DATE_EPOCH = "1775433600"

# The wasm features the firmware uses; wasmtime runs exactly these.
WASM_FEATURES = [
    "--enable-exception-handling", "--enable-reference-types", "--enable-bulk-memory",
    "--enable-bulk-memory-opt", "--enable-sign-ext", "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int", "--enable-multivalue", "--enable-extended-const",
    "--enable-call-indirect-overlong",
]
# How the GC sees every root (interpreter/port/README.md, "The GC and wasm"):
# flatten puts every intermediate value in a local, spill-pointers stores
# each pointer-sized local that is live across a call into the shadow stack
# before that call, where the GC's stack scan finds it. Flatten reads only
# legacy exception handling; translate-to-exnref then gives the form
# wasmtime runs. coalesce-locals first: fewer locals, smaller frames.
WASM_OPT_PASSES = [
    "--strip-debug", "--strip-producers",
    "--flatten", "--coalesce-locals", "--spill-pointers",
    "-O2", "--translate-to-exnref",
]


def shown(command):
    """`command` as strings, printed as the build's log shows each step."""
    command = [str(c) for c in command]
    print("+", " ".join(command), flush=True)
    return command


def run(command, **kwargs):
    subprocess.run(shown(command), check=True, **kwargs)


def toolchain():
    """(zig, wasm-opt) paths, installing them into build/toolchain if needed."""
    venv = TOOLCHAIN / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        run([sys.executable, "-m", "venv", venv])
    zig_dir = Path(subprocess.run(
        [python, "-c", "import ziglang, os; print(os.path.dirname(ziglang.__file__))"],
        capture_output=True, text=True).stdout.strip() or "/nonexistent")
    if not (zig_dir / "zig").exists():
        run([python, "-m", "pip", "install", "--quiet", ZIGLANG])
        zig_dir = Path(subprocess.run(
            [python, "-c", "import ziglang, os; print(os.path.dirname(ziglang.__file__))"],
            capture_output=True, text=True, check=True).stdout.strip())
    wasm_opt = TOOLCHAIN / "npm" / "node_modules" / "binaryen" / "bin" / "wasm-opt"
    if not wasm_opt.exists():
        if shutil.which("npm") is None:
            sys.exit("build-firmware: npm is needed for binaryen's wasm-opt (apt-get install npm)")
        run(["npm", "install", "--silent", "--no-audit", "--no-fund",
             "--prefix", TOOLCHAIN / "npm", BINARYEN])
    return zig_dir / "zig", wasm_opt


# What this port changes in MicroPython's core, as (file, text, replacement):
# wasm has no native code emitter, so @micropython.native compiles to
# bytecode (it runs, slower, as it would without the decorator), and viper
# and inline assembler fail at compile time with an error that says why.
CORE_PATCHES = [(
    "py/compile.c",
    """    #if MICROPY_EMIT_NATIVE
    } else if (attr == MP_QSTR_native) {
        *emit_options = MP_EMIT_OPT_NATIVE_PYTHON;
    } else if (attr == MP_QSTR_viper) {
        *emit_options = MP_EMIT_OPT_VIPER;
    #endif
""",
    """    #if MICROPY_EMIT_NATIVE
    } else if (attr == MP_QSTR_native) {
        *emit_options = MP_EMIT_OPT_NATIVE_PYTHON;
    } else if (attr == MP_QSTR_viper) {
        *emit_options = MP_EMIT_OPT_VIPER;
    #elif BOARDLAB_NATIVE_AS_BYTECODE
    } else if (attr == MP_QSTR_native) {
        *emit_options = MP_EMIT_OPT_BYTECODE;
    } else if (attr == MP_QSTR_viper || attr == MP_QSTR_asm_thumb || attr == MP_QSTR_asm_xtensa) {
        compile_syntax_error(comp, name_nodes[1], MP_ERROR_TEXT(
            "the simulated board has no native code emitter: viper and assembler code run on a real board"));
    #endif
"""), (
    # The compiler recurses once per level of nesting and checks no stack:
    # a deeply nested expression would run past the board's C stack. With
    # the check it ends in "RuntimeError: maximum recursion depth exceeded".
    "py/compile.c",
    """static void compile_node(compiler_t *comp, mp_parse_node_t pn) {
    if (MP_PARSE_NODE_IS_NULL(pn)) {
""",
    """static void compile_node(compiler_t *comp, mp_parse_node_t pn) {
    #if BOARDLAB_COMPILE_STACK_CHECK
    mp_cstack_check();
    #endif
    if (MP_PARSE_NODE_IS_NULL(pn)) {
""")]


def micropython_tree(source):
    """The build's own copy of MicroPython's tree (from a tarball or a
    folder), with CORE_PATCHES applied."""
    source = Path(source)
    if not source.exists():
        sys.exit(f"build-firmware: no MicroPython source at {source}; give one with "
                 f"--source (a micropython-1.28.0 tarball or an unpacked tree)")
    if source.is_dir():
        digest = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:16]
    else:
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    tree = BUILD / f"micropython-{digest}"
    # The tree is remade when the patches change (.patched holds their hash).
    patches = hashlib.sha256(repr(CORE_PATCHES).encode()).hexdigest()
    marker = tree / ".patched"
    if not marker.exists() or marker.read_text() != patches:
        if tree.is_symlink():
            tree.unlink()
        else:
            shutil.rmtree(tree, ignore_errors=True)
        if source.is_dir():
            shutil.copytree(source, tree, symlinks=True)
        else:
            tree.mkdir(parents=True)
            with tarfile.open(source) as archive:
                top = archive.getmembers()[0].name.split("/")[0]
                archive.extractall(tree, filter="data")
            for item in (tree / top).iterdir():
                item.rename(tree / item.name)
            (tree / top).rmdir()
        for name, text, replacement in CORE_PATCHES:
            path = tree / name
            code = path.read_text()
            if code.count(text) != 1:
                sys.exit(f"build-firmware: {name} is not MicroPython v1.28.0's; this port "
                         f"patches it (see CORE_PATCHES)")
            path.write_text(code.replace(text, replacement))
        marker.write_text(patches)
    return tree


# MicroPython's build runs Python scripts (qstrs, versions, frozen modules)
# dozens of times: with this Python, rather than whatever `python3` on PATH
# is (a version manager's shim costs a tenth of a second a start).
PYTHON = f"PYTHON={sys.executable}"


def mpy_cross(tree):
    binary = tree / "mpy-cross" / "build" / "mpy-cross"
    if not binary.exists():
        run(["make", "-C", tree / "mpy-cross", f"-j{os.cpu_count() or 2}", "-s", PYTHON])
    return binary


def build_board(board, tree, zig, wasm_opt, mpycross, incremental=False):
    out = BUILD / f"port-{board}"
    if not incremental:
        shutil.rmtree(out, ignore_errors=True)
    # No git above the tree: the version is the release's (mpconfig.h), not
    # whatever repository the tree was unpacked in.
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
               GIT_CEILING_DIRECTORIES=str(tree.parent))
    run(["make", "-C", PORT, f"-j{os.cpu_count() or 2}", "-s",
         f"MICROPY_TOP={tree}", f"BOARD={BOARDS[board]}", f"BUILD={out}", f"ZIG={zig}",
         f"MICROPY_MPYCROSS={mpycross}", PYTHON], env=env)
    # wasm-opt works mostly on one core: it runs while the next board compiles.
    wasm = out / "firmware.wasm"
    return wasm, subprocess.Popen(shown([wasm_opt, *WASM_FEATURES, out / "firmware-raw.wasm",
                                         *WASM_OPT_PASSES, "-o", wasm]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=str(DEFAULT_SOURCE),
                        help="MicroPython v1.28.0: a tarball or an unpacked tree")
    parser.add_argument("--board", action="append", choices=BOARDS,
                        help="build only this board (may be repeated)")
    parser.add_argument("--incremental", action="store_true",
                        help="keep the last build's objects (faster; after changing a "
                             "qstr or a frozen module, build clean)")
    parser.add_argument("--check", action="store_true",
                        help="fail if the built firmware differs from interpreter/firmware/")
    args = parser.parse_args()
    zig, wasm_opt = toolchain()
    tree = micropython_tree(args.source)
    mpycross = mpy_cross(tree)
    differ = []
    built = [(board, *build_board(board, tree, zig, wasm_opt, mpycross, args.incremental))
             for board in args.board or BOARDS]
    for board, wasm, optimising in built:
        if optimising.wait() != 0:
            sys.exit(f"build-firmware: wasm-opt failed for {board} (its message is above)")
        committed = FIRMWARE / f"{board}.wasm"
        if args.check:
            if not committed.exists() or committed.read_bytes() != wasm.read_bytes():
                differ.append(board)
        else:
            FIRMWARE.mkdir(exist_ok=True)
            shutil.copyfile(wasm, committed)
            print(f"{committed.relative_to(ROOT)}: {committed.stat().st_size} bytes")
    if not args.check:
        # MicroPython's MIT notice goes with the firmware built from it.
        shutil.copyfile(tree / "LICENSE", FIRMWARE / "LICENSE-micropython")
    if differ:
        sys.exit(f"build-firmware: the firmware built from source differs from the committed "
                 f"interpreter/firmware/ for {', '.join(differ)}: rebuild with "
                 f"scripts/build-firmware and commit the result")
    if args.check:
        print("build-firmware: the committed firmware is what the source builds")


if __name__ == "__main__":
    main()
