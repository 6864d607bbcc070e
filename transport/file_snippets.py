"""The MicroPython code that BoardFiles runs on the board, and the wire
encoding of uploads (downloads: see GET).

Each snippet defines a function (imports inside it, so a user's globals
named `os` or `sys` do not matter) that BoardFiles calls with repr()'d
arguments. Snippets print Python literals, one per line, which the host reads
with ast.literal_eval; errors are the board's own OSError tracebacks.

Uploads stream the file through the running code's stdin in blocks, the board
acknowledging each block with "." once it is written, so the host is never
more than a block or two ahead of what the board has stored (boards behind a
USB-UART bridge lose bytes past a few hundred unread). The bytes travel as
they are, except the six that must not: Ctrl-C (0x03) would interrupt the
code, and Ctrl-A/B/D/E (0x01, 0x02, 0x04, 0x05) would be obeyed by the raw
REPL if a failed upload left them unread. Those and the escape byte DLE
(0x10) become DLE + a letter ('A'..'E', 'P'): random binary grows by 2.3%,
text not at all; base64 would grow everything by 33% (mpremote's repr() of
bytes by up to 4x). Firmware without sys.stdin.buffer gets base64 on
sys.stdin instead (text stdin may translate bytes).
"""

import binascii
import re

DLE = 0x10  # "data link escape": the byte that starts a two-byte escape
_ESCAPED = re.compile(rb"[\x01-\x05\x10]")

# Moves a finished temporary file over the target. littlefs's rename replaces
# the target; FAT's fails with EEXIST (17 in newlib and Linux alike), so the old file is
# removed first there: a power cut in that gap leaves the new file in `tmp`.
SWAP = r"""
def _bl_swap(tmp, dst):
    import os
    try:
        os.rename(tmp, dst)
    except OSError as e:
        if e.args[0] != 17:
            raise
        os.remove(dst)
        os.rename(tmp, dst)
"""

# Upload. Prints "<" once the temporary file is open (the host sends nothing
# before: an error there leaves no stray bytes), "." per block stored, then
# a line "=(bytes, sha256 hex, final path, temporary path)". Anything that
# goes wrong, Ctrl-C included, removes the temporary file: the old one stays.
# Without hashlib (or when told not to check) the file is left at `tmp` for
# the host to read back and rename.
PUT = SWAP + r"""
def _bl_put(dst, name, size, wire, blk, escaped, check, digest):
    import sys, os
    try:
        if os.stat(dst)[0] & 0x4000:
            dst = dst.rstrip('/') + '/' + name
    except OSError:
        pass
    i = dst.rfind('/') + 1
    tmp = dst[:i] + '.' + dst[i:] + '.part'
    h = None
    if check:
        try:
            import hashlib
            h = hashlib.sha256()
        except ImportError:
            pass
    f = open(tmp, 'wb')
    w = sys.stdout.write
    try:
        if escaped:
            rd = sys.stdin.buffer.readinto
            buf = bytearray(blk + 1)
            mv = memoryview(buf)
        else:
            from binascii import a2b_base64
            rd = sys.stdin.read
        n = 0
        w('<')
        while wire > 0:
            k = min(blk, wire)
            if escaped:
                j = 0
                while j < k:
                    j += rd(mv[j:k])
                if buf[k - 1] == 16:
                    rd(mv[k:k + 1])
                    k += 1
                d = bytes(mv[:k])
                if b'\x10' in d:
                    for c in b'ABCDE':
                        d = d.replace(bytes((16, c)), bytes((c - 64,)))
                    d = d.replace(b'\x10P', b'\x10')
            else:
                d = a2b_base64(rd(k))
            wire -= k
            f.write(d)
            if h:
                h.update(d)
            n += len(d)
            w('.')
        f.close()
        got = ''.join('%02x' % b for b in h.digest()) if h else ''
        if n != size or (h and got != digest):
            raise ValueError('BoardLab upload check: %d bytes, sha256 %s' % (n, got))
    except BaseException:
        f.close()
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    if h:
        _bl_swap(tmp, dst)
    print('\n=' + repr((n, got, dst, tmp)))
"""

# Download: a line with the size, then the file in chunks, then a line
# "=sha256 hex" ("=" alone without hashlib). The output path is text (UTF-8
# decoded, CR LF made LF, \x04 ends the frame), so a chunk that is UTF-8
# with no CR and no \x04 goes as it is after a line "T<bytes>"; any other
# chunk as a line "B<base64>". Text files travel at ~1.0x, binary at 1.33x.
GET = r"""
def _bl_get(p, blk, check, text):
    import sys, os
    from binascii import b2a_base64
    h = None
    if check:
        try:
            import hashlib
            h = hashlib.sha256()
        except ImportError:
            pass
    f = open(p, 'rb')
    try:
        o = sys.stdout.write
        b = getattr(sys.stdout, 'buffer', None)
        buf = bytearray(blk)
        mv = memoryview(buf)
        print(os.stat(p)[6])
        while True:
            n = f.readinto(buf)
            if not n:
                break
            d = bytes(mv[:n])
            if h:
                h.update(d)
            try:
                if not text or b'\x04' in d or b'\r' in d:
                    raise ValueError
                s = d.decode()
                o('T%d\n' % n)
                if b:
                    b.write(d)
                else:
                    o(s)
            except ValueError:
                o('B')
                o(b2a_base64(d).decode())
    finally:
        f.close()
    print('=' + (''.join('%02x' % b for b in h.digest()) if h else ''))
"""

# A file: one line (False, size). A folder: (True, None), then one line
# (name, is_folder, size) per entry; a line each keeps the board's RAM use flat.
LS = r"""
def _bl_ls(p):
    import os
    p = p or os.getcwd()
    m = os.stat(p)
    if not m[0] & 0x4000:
        print(repr((False, m[6])))
        return
    print(repr((True, None)))
    for e in os.ilistdir(p):
        d = e[1] == 0x4000
        s = 0 if d else (e[3] if len(e) > 3 else os.stat(p.rstrip('/') + '/' + e[0])[6])
        print(repr((e[0], d, s)))
"""

# Every file and folder under p: (relative path, size or None for a folder,
# sha256 hex or '' without hashlib). Nothing when p does not exist.
TREE = r"""
def _bl_tree(p, check):
    import os
    try:
        import hashlib
    except ImportError:
        hashlib = None
    if not check:
        hashlib = None
    buf = bytearray(512)
    mv = memoryview(buf)
    def walk(d, rel):
        for e in os.ilistdir(d):
            full = d.rstrip('/') + '/' + e[0]
            if e[1] == 0x4000:
                print(repr((rel + e[0], None, '')))
                walk(full, rel + e[0] + '/')
                continue
            x = ''
            if hashlib:
                h = hashlib.sha256()
                with open(full, 'rb') as f:
                    while True:
                        n = f.readinto(buf)
                        if not n:
                            break
                        h.update(mv[:n])
                x = ''.join('%02x' % b for b in h.digest())
            print(repr((rel + e[0], os.stat(full)[6], x)))
    try:
        if not os.stat(p)[0] & 0x4000:
            raise OSError('ENOTDIR')
    except OSError as e:
        if e.args[0] == 'ENOTDIR':
            raise
        return
    walk(p, '')
"""

# Files are removed with os.remove; a folder only with r (its names are
# listed first: removing while iterating a littlefs folder skips entries).
RM = r"""
def _bl_rm(p, r):
    import os
    def rm(p):
        if os.stat(p)[0] & 0x4000:
            if not r:
                raise OSError('EISDIR')
            for n in [e[0] for e in os.ilistdir(p)]:
                rm(p.rstrip('/') + '/' + n)
            os.rmdir(p)
        else:
            os.remove(p)
    rm(p)
"""

MKDIR = r"""
def _bl_mkdir(p, parents):
    import os
    if not parents:
        os.mkdir(p)
        return
    q = '/' if p.startswith('/') else ''
    for part in p.split('/'):
        if not part:
            continue
        q += part
        try:
            os.mkdir(q)
        except OSError as e:
            try:
                d = os.stat(q)[0] & 0x4000
            except OSError:
                d = 0
            if not d:
                raise e
        q += '/'
"""

RMDIR = r"""
def _bl_rmdir(p):
    import os
    if not os.stat(p)[0] & 0x4000:
        raise OSError('ENOTDIR')
    os.rmdir(p)
"""

RENAME = SWAP

REMOVE = r"""
def _bl_remove(p):
    import os
    os.remove(p)
"""

DF = r"""
def _bl_df(p):
    import os
    s = os.statvfs(p)
    print(repr((s[1] or s[0], s[2], s[4])))
"""

PROBE = r"""
def _bl_probe():
    import sys
    print(repr(hasattr(sys.stdin, 'buffer')))
"""


def compact(code):
    """One space per indentation level and no blank lines: the code crosses
    the line on every call (at 115200 baud each 1 KB costs 90 ms)."""
    lines = []
    for line in code.splitlines():
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            lines.append(" " * (indent // 4) + line.lstrip(" "))
    return "\n".join(lines) + "\n"


def call(snippet, function, *args):
    """The code that defines `function` (from `snippet`), calls it with `args`
    and forgets it again."""
    arguments = ", ".join(repr(a) for a in args)
    return f"{compact(snippet)}{function}({arguments})\ndel {function}\n"


# -- the wire encoding of uploads ------------------------------------------

def escape(data):
    """Bytes 0x01-0x05 and DLE become DLE + chr(byte + 0x40)."""
    return _ESCAPED.sub(lambda m: bytes((DLE, m.group()[0] + 0x40)), data)


def unescape(wire):
    """The inverse of escape() (the board does this with bytes.replace)."""
    return re.sub(rb"\x10([A-EP])", lambda m: bytes((m.group(1)[0] - 0x40,)), wire)


def encode(data, escaped):
    return escape(data) if escaped else binascii.b2a_base64(data, newline=False)


def wire_blocks(wire, size, escaped):
    """The blocks the board will read, in order, each with the payload bytes it
    carries. Must cut exactly where the board's loop does: `size` bytes, one
    more when the last is DLE (an escape is never split); base64 in whole
    4-character groups."""
    if not escaped:
        size = max(4, size // 4 * 4)
    blocks, start = [], 0
    while start < len(wire):
        end = min(start + size, len(wire))
        if escaped and wire[end - 1] == DLE:
            end += 1
        block = wire[start:end]
        if escaped:
            carried = len(block) - block.count(DLE)
        else:
            carried = len(block) // 4 * 3 - block.count(b"=")
        blocks.append((block, carried))
        start = end
    return blocks
