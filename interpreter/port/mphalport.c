// The HAL: console, clock and waiting, all served by the host (host.h).
#include <string.h>

#include "py/runtime.h"
#include "py/stream.h"
#include "py/mphal.h"
#include "port/board_machine.h"

uint32_t board_poll_countdown = BOARD_POLL_STEPS;

// The console's interrupt character (Ctrl-C while code runs). The host
// watches for it in the bytes that arrive, as a UART's or USB's receive
// interrupt does: it never reaches stdin, it raises KeyboardInterrupt.
int mp_interrupt_char = -1;

void mp_hal_set_interrupt_char(int c) {
    mp_interrupt_char = c;
    host_set_interrupt_char(c);
}

// The host answers HOST_RESET when the chip must stop (machine.reset(),
// the watchdog, power off): unwind everything, as a reset does.
static void board_check(int answer) {
    if (answer == HOST_RESET) {
        __builtin_trap();
    }
}

void board_service_events(void) {
    host_event_t event;
    while (host_next_event(&event)) {
        switch (event.kind) {
            case EVENT_KEYBOARD_INTERRUPT:
                // Only while the interrupt character is armed: a Ctrl-C for
                // code that has ended since must not hit the REPL itself.
                if (mp_interrupt_char != -1) {
                    mp_sched_keyboard_interrupt();
                }
                break;
            default:
                board_machine_event(&event);
                break;
        }
    }
}

// Console output is gathered here and handed to the host in pieces, as a
// USB CDC endpoint sends packets: before the firmware waits or reads input,
// at each poll, and when the buffer fills. Each hand-off is a call into the
// host that costs as much as copying tens of kilobytes, hence the size.
static char stdout_buf[65536];
static size_t stdout_len;

void board_flush_stdout(void) {
    if (stdout_len) {
        host_stdout_write(stdout_buf, stdout_len);
        stdout_len = 0;
    }
}

// At the VM hook (every BOARD_POLL_STEPS branches), and whenever console
// output fills the buffer: code that prints a lot between branches still
// notices a Ctrl-C as soon as its output moves, as a board's USB interrupt
// would raise it. The host is told how many steps ran since the last poll.
void board_poll(void) {
    uint32_t steps = BOARD_POLL_STEPS - board_poll_countdown;
    board_poll_countdown = BOARD_POLL_STEPS;
    board_flush_stdout();
    int answer = host_poll(steps);
    board_check(answer);
    if (answer == HOST_PENDING) {
        board_service_events();
    }
}

// The boards' VM is built with threads, and then checks for a pending
// exception (Ctrl-C) at every branch apart from the scheduler's state, so
// that it reaches even a handler that holds the scheduler locked (a soft
// IRQ handler running, a hard one): the handler ends with the
// KeyboardInterrupt, which its caller prints. This VM, built without
// threads, looks only at the scheduler's state; the VM hook looks at the
// exception too (at a branch, where the VM would raise it itself).
void board_raise_pending_exception(void) {
    if (MP_STATE_THREAD(mp_pending_exception) != MP_OBJ_NULL && MP_STATE_VM(sched_state) < 0) {
        mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
    }
}

static void board_wait_us(int64_t timeout_us) {
    board_flush_stdout();
    // A callback waiting in the scheduler does not wait for the next event:
    // on a board the frequent interrupts (USB's each millisecond, the tick)
    // end a WFE at once and the wait loop runs it.
    if (MP_STATE_VM(sched_state) == MP_SCHED_PENDING) {
        timeout_us = 0;
    }
    board_check(host_wait(timeout_us));
}

void board_wait(int timeout_ms) {
    board_wait_us(timeout_ms < 0 ? -1 : (int64_t)timeout_ms * 1000);
}

// The shadow stack below this frame is dead. Zeroing it keeps stale
// pointers from earlier calls from holding garbage alive in the next
// collection (the GC scans conservatively). It is zeroed up to this frame,
// which holds only `here` (the loop calls nothing, so it has no frame
// below), and from below the deepest a frame can reach (the limit, its
// margin, and C code past the last check). Called before each command
// (MICROPY_BOARD_BEFORE_PYTHON_EXEC), and when the board idles for input.
void board_clear_dead_stack(void) {
    volatile uint32_t here = 0;
    uintptr_t top = (uintptr_t)MP_STATE_THREAD(stack_top);
    uintptr_t bottom = top > BOARD_STACK_SIZE / 2 ? top - BOARD_STACK_SIZE / 2 : 0;
    volatile uint32_t *word = (volatile uint32_t *)((bottom + 3) & ~(uintptr_t)3);
    while ((uintptr_t)(word + 1) <= (uintptr_t)&here) {
        *word++ = 0;
    }
}

// Input that arrived but was not read yet.
static char stdin_buf[256];
static size_t stdin_len, stdin_pos;

uintptr_t mp_hal_stdio_poll(uintptr_t poll_flags) {
    board_flush_stdout();
    uintptr_t ret = 0;
    if (poll_flags & MP_STREAM_POLL_RD) {
        if (stdin_pos == stdin_len) {
            stdin_len = host_stdin_read(stdin_buf, sizeof(stdin_buf));
            stdin_pos = 0;
        }
        if (stdin_pos < stdin_len) {
            ret |= MP_STREAM_POLL_RD;
        }
    }
    if (poll_flags & MP_STREAM_POLL_WR) {
        ret |= MP_STREAM_POLL_WR;
    }
    return ret;
}

int mp_hal_stdin_rx_chr(void) {
    board_flush_stdout();
    for (;;) {
        if (stdin_pos < stdin_len) {
            return (unsigned char)stdin_buf[stdin_pos++];
        }
        stdin_len = host_stdin_read(stdin_buf, sizeof(stdin_buf));
        stdin_pos = 0;
        if (stdin_len == 0) {
            board_clear_dead_stack();
            mp_event_wait_indefinite();
        }
    }
}

mp_uint_t mp_hal_stdout_tx_strn(const char *str, mp_uint_t len) {
    if (stdout_len + len > sizeof(stdout_buf)) {
        board_poll();
        if (len > sizeof(stdout_buf)) {
            host_stdout_write(str, len);
            return len;
        }
    }
    memcpy(stdout_buf + stdout_len, str, len);
    stdout_len += len;
    return len;
}

// The first "\n" in [str, end), or end. Eight bytes at a time, by the
// classic test for a zero byte in word ^ "\n\n\n\n\n\n\n\n": libc's memchr
// here looks at each byte, and the console is the simulated board's
// hottest path when code prints a lot (3x faster printing of long lines).
static const char *find_newline(const char *str, const char *end) {
    const uint64_t ones = 0x0101010101010101ull;
    const uint64_t highs = 0x8080808080808080ull;
    while (end - str >= 8) {
        uint64_t word;
        memcpy(&word, str, 8); // one (unaligned) i64.load
        word ^= ones * '\n';
        if ((word - ones) & ~word & highs) {
            break;
        }
        str += 8;
    }
    while (str < end && *str != '\n') {
        ++str;
    }
    return str;
}

// "\n" goes out as "\r\n", in as few pieces as there are lines.
void mp_hal_stdout_tx_strn_cooked(const char *str, size_t len) {
    const char *end = str + len;
    const char *newline;
    while ((newline = find_newline(str, end)) < end) {
        mp_hal_stdout_tx_strn(str, newline - str);
        mp_hal_stdout_tx_strn("\r\n", 2);
        str = newline + 1;
    }
    mp_hal_stdout_tx_strn(str, end - str);
}

void mp_hal_stdout_tx_str(const char *str) {
    mp_hal_stdout_tx_strn(str, strlen(str));
}

void mp_hal_delay_ms(mp_uint_t ms) {
    uint64_t end = host_ticks_us() + (uint64_t)ms * 1000;
    for (;;) {
        mp_event_handle_nowait();
        uint64_t now = host_ticks_us();
        if (now >= end) {
            break;
        }
        board_wait_us((int64_t)(end - now));
    }
}

void mp_hal_delay_us(mp_uint_t us) {
    uint64_t end = host_ticks_us() + us;
    while (host_ticks_us() < end) {
        mp_event_handle_nowait();
        uint64_t now = host_ticks_us();
        if (now < end) {
            board_wait_us((int64_t)(end - now));
        }
    }
}
