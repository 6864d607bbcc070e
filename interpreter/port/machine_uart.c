// machine.UART's port half (MICROPY_PY_MACHINE_UART_INCLUDEFILE, included by
// extmod/machine_uart.c), as ports/rp2/machine_uart.c and
// ports/esp32/machine_uart.c have it: arguments, defaults, repr, errors,
// timeouts and IRQs. The wires are the host's (host.h: uart_*): it keeps
// what arrives at RX in a receive buffer of the port's size (rxbuf plus
// the chip's FIFO), and says when what was sent has left TX; the timeouts
// run on the board's clock, and a wait for data ends when data comes
// (EVENT_UART_RX).
#include "py/mphal.h"
#include "py/mperrno.h"
#include "py/stream.h"
#include "shared/runtime/mpirq.h"
#include "machine_pin.h"
#include "machine_uart.h"
#include "host.h"

#define DEFAULT_UART_BAUDRATE (115200)
#define DEFAULT_BUFFER_SIZE (256)
#define PIN_NONE (-1)

#if MICROPY_BOARD_RP2
#define UART_COUNT (2)
#define UART_FIFO_BYTES (32)
#define MIN_BUFFER_SIZE (32)
#define MAX_BUFFER_SIZE (32766)
#define UART_INVERT_TX (1)
#define UART_INVERT_RX (2)
#define UART_INVERT_MASK (UART_INVERT_TX | UART_INVERT_RX)
#define UART_HWCONTROL_CTS (1)
#define UART_HWCONTROL_RTS (2)
#define UART_HWCONTROL_MASK (UART_HWCONTROL_CTS | UART_HWCONTROL_RTS)
// The PL011's interrupt bits that the port lets a handler have.
#define UART_IRQ_RXIDLE (0x40)      // receive timeout: the line idle after data
#define UART_IRQ_TXIDLE (0x20)
#define UART_IRQ_BREAK (0x200)
#define UART_IRQ_ALLOWED (UART_IRQ_RXIDLE | UART_IRQ_TXIDLE | UART_IRQ_BREAK)
#endif

#if MICROPY_BOARD_ESP32
#define UART_COUNT (3)
#define UART_REPL (0)               // the DevKit's console, through its USB bridge
#define UART_FIFO_BYTES (128)
#define UART_INVERT_TX (0x20)       // ESP-IDF's UART_SIGNAL_*_INV
#define UART_INVERT_RX (0x04)
#define UART_INVERT_RTS (0x40)
#define UART_INVERT_CTS (0x08)
#define UART_INVERT_MASK (UART_INVERT_TX | UART_INVERT_RX | UART_INVERT_RTS | UART_INVERT_CTS)
#define UART_HWCONTROL_RTS (1)
#define UART_HWCONTROL_CTS (2)
#define UART_HWCONTROL_MASK (UART_HWCONTROL_RTS | UART_HWCONTROL_CTS)
#define UART_IRQ_RX (0x01)
#define UART_IRQ_RXIDLE (0x1000)
#define UART_IRQ_BREAK (0x02)
#define UART_IRQ_ALLOWED (UART_IRQ_RX | UART_IRQ_RXIDLE | UART_IRQ_BREAK)
#endif

// (extmod/modmachine.h declares the typedef.)
struct _machine_uart_obj_t {
    mp_obj_base_t base;
    uint8_t id;
    bool on;                // set up, and the host receives for it
    uint32_t baudrate;
    uint8_t bits;
    int8_t parity;          // -1: none, 0: even, 1: odd
    uint8_t stop;
    int8_t tx, rx, cts, rts;
    uint16_t timeout;       // ms to wait for the first character
    uint16_t timeout_char;  // ms to wait for each next one
    uint8_t invert;
    uint8_t flow;
    uint16_t rxbuf;
    uint16_t txbuf;
    uint64_t tx_done_us;    // when all that was written has left TX
    uint16_t irq_trigger;
    uint16_t irq_flags;
    mp_irq_obj_t *irq;      // also a root pointer: this object is not on the heap
};

#if MICROPY_BOARD_RP2
static machine_uart_obj_t machine_uart_obj[UART_COUNT] = {
    {{&machine_uart_type}, 0, false, 0, 8, -1, 1, 0, 1, 2, 3},
    {{&machine_uart_type}, 1, false, 0, 8, -1, 1, 4, 5, 6, 7},
};
#endif
#if MICROPY_BOARD_ESP32
static machine_uart_obj_t machine_uart_obj[UART_COUNT] = {
    {{&machine_uart_type}, 0}, {{&machine_uart_type}, 1}, {{&machine_uart_type}, 2},
};
#endif

MP_REGISTER_ROOT_POINTER(void *machine_uart_irq_obj[UART_COUNT]);

#if MICROPY_BOARD_RP2
#define MICROPY_PY_MACHINE_UART_CLASS_CONSTANTS \
    { MP_ROM_QSTR(MP_QSTR_INV_TX), MP_ROM_INT(UART_INVERT_TX) }, \
    { MP_ROM_QSTR(MP_QSTR_INV_RX), MP_ROM_INT(UART_INVERT_RX) }, \
    { MP_ROM_QSTR(MP_QSTR_CTS), MP_ROM_INT(UART_HWCONTROL_CTS) }, \
    { MP_ROM_QSTR(MP_QSTR_RTS), MP_ROM_INT(UART_HWCONTROL_RTS) }, \
    { MP_ROM_QSTR(MP_QSTR_IRQ_RXIDLE), MP_ROM_INT(UART_IRQ_RXIDLE) }, \
    { MP_ROM_QSTR(MP_QSTR_IRQ_TXIDLE), MP_ROM_INT(UART_IRQ_TXIDLE) }, \
    { MP_ROM_QSTR(MP_QSTR_IRQ_BREAK), MP_ROM_INT(UART_IRQ_BREAK) }, \

#endif
#if MICROPY_BOARD_ESP32
#define MICROPY_PY_MACHINE_UART_CLASS_CONSTANTS \
    { MP_ROM_QSTR(MP_QSTR_INV_TX), MP_ROM_INT(UART_INVERT_TX) }, \
    { MP_ROM_QSTR(MP_QSTR_INV_RX), MP_ROM_INT(UART_INVERT_RX) }, \
    { MP_ROM_QSTR(MP_QSTR_INV_RTS), MP_ROM_INT(UART_INVERT_RTS) }, \
    { MP_ROM_QSTR(MP_QSTR_INV_CTS), MP_ROM_INT(UART_INVERT_CTS) }, \
    { MP_ROM_QSTR(MP_QSTR_RTS), MP_ROM_INT(UART_HWCONTROL_RTS) }, \
    { MP_ROM_QSTR(MP_QSTR_CTS), MP_ROM_INT(UART_HWCONTROL_CTS) }, \
    { MP_ROM_QSTR(MP_QSTR_IRQ_RX), MP_ROM_INT(UART_IRQ_RX) }, \
    { MP_ROM_QSTR(MP_QSTR_IRQ_RXIDLE), MP_ROM_INT(UART_IRQ_RXIDLE) }, \
    { MP_ROM_QSTR(MP_QSTR_IRQ_BREAK), MP_ROM_INT(UART_IRQ_BREAK) }, \

#endif

// ---- the wires ---------------------------------------------------------

static int uart_frame_bits(machine_uart_obj_t *self) {
    return 1 + self->bits + (self->parity >= 0 ? 1 : 0) + self->stop;
}

// How long one character takes on the wire, in nanoseconds.
static uint64_t uart_char_ns(machine_uart_obj_t *self) {
    return (uint64_t)uart_frame_bits(self) * 1000000000u / self->baudrate;
}

static void uart_switch_on(machine_uart_obj_t *self) {
    host_uart_init(self->id, self->baudrate, uart_frame_bits(self), self->rxbuf + UART_FIFO_BYTES);
    self->on = true;
    host_pin_config(self->tx, HOST_PIN_ALT, 0, -1, "UART");
    host_pin_config(self->rx, HOST_PIN_ALT, 0, -1, "UART");
}

static void uart_switch_off(machine_uart_obj_t *self) {
    if (self->on) {
        host_uart_deinit(self->id);
        self->on = false;
    }
}

// Characters written but not yet gone from TX: the transmit ring buffer
// and FIFO hold txbuf + UART_FIFO_BYTES of them.
static size_t uart_tx_pending(machine_uart_obj_t *self) {
    uint64_t now = host_ticks_us();
    if (self->tx_done_us <= now) {
        return 0;
    }
    uint64_t char_ns = uart_char_ns(self);
    return ((self->tx_done_us - now) * 1000 + char_ns - 1) / char_ns;
}

static size_t uart_tx_room(machine_uart_obj_t *self) {
    size_t capacity = self->txbuf + UART_FIFO_BYTES;
    size_t pending = uart_tx_pending(self);
    return pending >= capacity ? 0 : capacity - pending;
}

// Wait until all that was written has left TX.
static void uart_wait_tx_done(machine_uart_obj_t *self) {
    for (;;) {
        uint64_t now = host_ticks_us();
        if (now >= self->tx_done_us) {
            return;
        }
        mp_hal_delay_us((mp_uint_t)(self->tx_done_us - now));
    }
}

// An EVENT_UART_RX or EVENT_UART_TX: the interrupt this board's UART
// raises for it, and the handler if it asked for that one.
void machine_uart_event(int id, int kind, int what) {
    if (id < 0 || id >= UART_COUNT) {
        return;
    }
    machine_uart_obj_t *self = &machine_uart_obj[id];
    uint16_t flags = 0;
    #if MICROPY_BOARD_RP2
    if (kind == EVENT_UART_RX && what == UART_RX_IDLE) {
        flags = UART_IRQ_RXIDLE;
    } else if (kind == EVENT_UART_TX) {
        flags = UART_IRQ_TXIDLE;
    }
    #endif
    #if MICROPY_BOARD_ESP32
    if (kind == EVENT_UART_RX) {
        flags = what == UART_RX_IDLE ? UART_IRQ_RXIDLE : UART_IRQ_RX;
    }
    #endif
    if (self->on && self->irq != NULL && (self->irq_trigger & flags)) {
        self->irq_flags = flags;
        mp_irq_handler(self->irq);
    }
}

// ---- the class ---------------------------------------------------------

static const char *uart_parity_name(machine_uart_obj_t *self) {
    return self->parity < 0 ? "None" : self->parity ? "1" : "0";
}

#if MICROPY_BOARD_RP2

static const char *_invert_name[] = {"None", "INV_TX", "INV_RX", "INV_TX|INV_RX"};

static void mp_machine_uart_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "UART(%u, baudrate=%u, bits=%u, parity=%s, stop=%u, tx=%d, rx=%d, "
        "txbuf=%d, rxbuf=%d, timeout=%u, timeout_char=%u, invert=%s, irq=%d)",
        self->id, self->baudrate, self->bits, uart_parity_name(self), self->stop,
        self->tx, self->rx, self->txbuf, self->rxbuf, self->timeout, self->timeout_char,
        _invert_name[self->invert], self->irq_trigger);
}

// UART0 can be on GP{0,1,12,13,16,17,28,29}, UART1 on GP{4,5,8,9,20,21,24,25}.
#define IS_VALID_PERIPH(uart, pin)  (((((pin) + 4) & 8) >> 3) == (uart))
#define IS_VALID_TX(uart, pin)      (((pin) & 3) == 0 && IS_VALID_PERIPH(uart, pin))
#define IS_VALID_RX(uart, pin)      (((pin) & 3) == 1 && IS_VALID_PERIPH(uart, pin))
#define IS_VALID_CTS(uart, pin)     (((pin) & 3) == 2 && IS_VALID_PERIPH(uart, pin))
#define IS_VALID_RTS(uart, pin)     (((pin) & 3) == 3 && IS_VALID_PERIPH(uart, pin))

static int8_t uart_pin_arg(machine_uart_obj_t *self, mp_obj_t arg, int8_t pin, bool valid(int, int), mp_rom_error_text_t error) {
    if (arg == mp_const_none) {
        return pin;
    }
    int id = mp_hal_get_pin_obj(arg);
    if (!valid(self->id, id)) {
        mp_raise_ValueError(error);
    }
    return id;
}

static bool valid_tx(int uart, int pin) {
    return IS_VALID_TX(uart, pin);
}
static bool valid_rx(int uart, int pin) {
    return IS_VALID_RX(uart, pin);
}
static bool valid_cts(int uart, int pin) {
    return IS_VALID_CTS(uart, pin);
}
static bool valid_rts(int uart, int pin) {
    return IS_VALID_RTS(uart, pin);
}

static uint16_t uart_buffer_size(mp_int_t size, mp_rom_error_text_t too_large) {
    if (size < MIN_BUFFER_SIZE) {
        return MIN_BUFFER_SIZE;
    }
    if (size > MAX_BUFFER_SIZE) {
        mp_raise_ValueError(too_large);
    }
    return size;
}

static void mp_machine_uart_init_helper(machine_uart_obj_t *self, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_baudrate, ARG_bits, ARG_parity, ARG_stop, ARG_tx, ARG_rx, ARG_cts, ARG_rts,
           ARG_timeout, ARG_timeout_char, ARG_invert, ARG_flow, ARG_txbuf, ARG_rxbuf};
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_baudrate, MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_bits, MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_parity, MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(-1)} },
        { MP_QSTR_stop, MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_tx, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_rx, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_cts, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_rts, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_timeout, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_timeout_char, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_invert, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_flow, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_txbuf, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_rxbuf, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    if (args[ARG_baudrate].u_int > 0) {
        self->baudrate = args[ARG_baudrate].u_int;
    }
    if (args[ARG_bits].u_int > 0) {
        self->bits = args[ARG_bits].u_int;
    }
    if (args[ARG_parity].u_obj != MP_OBJ_NEW_SMALL_INT(-1)) {
        if (args[ARG_parity].u_obj == mp_const_none) {
            self->parity = -1;
        } else {
            self->parity = mp_obj_get_int(args[ARG_parity].u_obj) & 1;
        }
    }
    if (args[ARG_stop].u_int > 0) {
        self->stop = args[ARG_stop].u_int;
    }
    self->tx = uart_pin_arg(self, args[ARG_tx].u_obj, self->tx, valid_tx, MP_ERROR_TEXT("bad TX pin"));
    self->rx = uart_pin_arg(self, args[ARG_rx].u_obj, self->rx, valid_rx, MP_ERROR_TEXT("bad RX pin"));
    self->cts = uart_pin_arg(self, args[ARG_cts].u_obj, self->cts, valid_cts, MP_ERROR_TEXT("bad CTS pin"));
    self->rts = uart_pin_arg(self, args[ARG_rts].u_obj, self->rts, valid_rts, MP_ERROR_TEXT("bad RTS pin"));
    if (args[ARG_timeout].u_int >= 0) {
        self->timeout = args[ARG_timeout].u_int;
    }
    if (args[ARG_timeout_char].u_int >= 0) {
        self->timeout_char = args[ARG_timeout_char].u_int;
    }
    if (args[ARG_invert].u_int >= 0) {
        if (args[ARG_invert].u_int & ~UART_INVERT_MASK) {
            mp_raise_ValueError(MP_ERROR_TEXT("bad inversion mask"));
        }
        self->invert = args[ARG_invert].u_int;
    }
    if (args[ARG_flow].u_int >= 0) {
        if (args[ARG_flow].u_int & ~UART_HWCONTROL_MASK) {
            mp_raise_ValueError(MP_ERROR_TEXT("bad hardware flow control mask"));
        }
        self->flow = args[ARG_flow].u_int;
    }
    if (args[ARG_rxbuf].u_int > 0) {
        self->rxbuf = uart_buffer_size(args[ARG_rxbuf].u_int, MP_ERROR_TEXT("rxbuf too large"));
    }
    if (args[ARG_txbuf].u_int > 0) {
        self->txbuf = uart_buffer_size(args[ARG_txbuf].u_int, MP_ERROR_TEXT("txbuf too large"));
    }

    // As the port: set up (again) when given any argument, or the first time.
    if (n_args > 0 || kw_args->used > 0 || self->baudrate == 0) {
        if (self->baudrate == 0) {
            self->baudrate = DEFAULT_UART_BAUDRATE;
            self->timeout_char = 0;
        }
        // timeout_char lasts at least a whole character (13 bits, to be safe).
        uint32_t min_timeout_char = 13000 / self->baudrate + 1;
        if (self->timeout_char < min_timeout_char) {
            self->timeout_char = min_timeout_char;
        }
        uart_switch_off(self);
        uart_switch_on(self);
        if (self->flow & UART_HWCONTROL_CTS) {
            host_pin_config(self->cts, HOST_PIN_ALT, 0, -1, "UART");
        }
        if (self->flow & UART_HWCONTROL_RTS) {
            host_pin_config(self->rts, HOST_PIN_ALT, 0, -1, "UART");
        }
    }
}

static mp_obj_t mp_machine_uart_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, MP_OBJ_FUN_ARGS_MAX, true);
    mp_int_t id = mp_obj_get_int(args[0]);
    if (id < 0 || id >= UART_COUNT) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("UART(%d) doesn't exist"), id);
    }
    machine_uart_obj_t *self = &machine_uart_obj[id];
    self->rxbuf = DEFAULT_BUFFER_SIZE;
    self->txbuf = DEFAULT_BUFFER_SIZE;
    mp_map_t kw_args;
    mp_map_init_fixed_table(&kw_args, n_kw, args + n_args);
    mp_machine_uart_init_helper(self, n_args - 1, args + 1, &kw_args);
    return MP_OBJ_FROM_PTR(self);
}

static void mp_machine_uart_deinit(machine_uart_obj_t *self) {
    if (self->on) {
        uart_wait_tx_done(self);
    }
    uart_switch_off(self);
    self->baudrate = 0;
    self->irq = NULL;
    self->irq_trigger = 0;
    MP_STATE_PORT(machine_uart_irq_obj)[self->id] = NULL;
}

static void mp_machine_uart_sendbreak(machine_uart_obj_t *self) {
    mp_hal_delay_us(13000000 / self->baudrate + 1);
}

static bool uart_irq_is_hard(machine_uart_obj_t *self, mp_arg_val_t *args) {
    return args[MP_IRQ_ARG_INIT_hard].u_bool;
}

#endif // MICROPY_BOARD_RP2

#if MICROPY_BOARD_ESP32

// The baud rate the ESP32's divider gives on the 80 MHz APB clock (in
// sixteenths of a cycle), as uart_get_baudrate() reads it back.
static uint32_t esp32_uart_baudrate(uint32_t baudrate) {
    const uint32_t sclk16 = 80000000u << 4;
    return sclk16 / (sclk16 / baudrate);
}

static void mp_machine_uart_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "UART(%u, baudrate=%u, bits=%u, parity=%s, stop=%u, tx=%d, rx=%d, rts=%d, cts=%d, "
        "txbuf=%u, rxbuf=%u, timeout=%u, timeout_char=%u, irq=%d",
        self->id, self->baudrate, self->bits, uart_parity_name(self), self->stop,
        self->tx, self->rx, self->rts, self->cts, self->txbuf, self->rxbuf,
        self->timeout, self->timeout_char, self->irq_trigger);
    static const struct { uint8_t bit; const char *name; } inverts[] = {
        {UART_INVERT_TX, "INV_TX"}, {UART_INVERT_RX, "INV_RX"},
        {UART_INVERT_RTS, "INV_RTS"}, {UART_INVERT_CTS, "INV_CTS"},
    };
    const char *sep = ", invert=";
    for (size_t i = 0; i < MP_ARRAY_SIZE(inverts); ++i) {
        if (self->invert & inverts[i].bit) {
            mp_printf(print, "%s%s", sep, inverts[i].name);
            sep = "|";
        }
    }
    if (self->flow) {
        mp_printf(print, ", flow=%s%s%s", self->flow & UART_HWCONTROL_RTS ? "RTS" : "",
            self->flow == UART_HWCONTROL_MASK ? "|" : "", self->flow & UART_HWCONTROL_CTS ? "CTS" : "");
    }
    mp_printf(print, ")");
}

static void mp_machine_uart_init_helper(machine_uart_obj_t *self, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_baudrate, ARG_bits, ARG_parity, ARG_stop, ARG_tx, ARG_rx, ARG_rts, ARG_cts,
           ARG_txbuf, ARG_rxbuf, ARG_timeout, ARG_timeout_char, ARG_invert, ARG_flow };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_baudrate, MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_bits, MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_parity, MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_stop, MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_tx, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_rx, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_rts, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_cts, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_txbuf, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_rxbuf, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_timeout, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_timeout_char, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_invert, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_flow, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    // A UART not set up yet (the console's never is: its driver is the
    // REPL's) starts from the port's defaults.
    if (!self->on) {
        static const int8_t default_pins[UART_COUNT][2] = {{PIN_NONE, PIN_NONE}, {10, 9}, {17, 16}};
        self->baudrate = esp32_uart_baudrate(DEFAULT_UART_BAUDRATE);
        self->bits = 8;
        self->parity = -1;
        self->stop = 1;
        self->tx = default_pins[self->id][0];
        self->rx = default_pins[self->id][1];
        self->rts = PIN_NONE;
        self->cts = PIN_NONE;
        self->txbuf = DEFAULT_BUFFER_SIZE;
        self->rxbuf = DEFAULT_BUFFER_SIZE;
        self->timeout = 0;
        self->timeout_char = 0;
        self->invert = 0;
        self->flow = 0;
    } else {
        uart_wait_tx_done(self);
    }

    if ((args[ARG_txbuf].u_int >= 0 && args[ARG_txbuf].u_int != self->txbuf)
        || (args[ARG_rxbuf].u_int >= 0 && args[ARG_rxbuf].u_int != self->rxbuf)) {
        if (self->id == UART_REPL) {
            mp_raise_ValueError(MP_ERROR_TEXT("REPL UART buffer size is fixed"));
        }
        if (args[ARG_txbuf].u_int >= 0) {
            self->txbuf = args[ARG_txbuf].u_int;
        }
        if (args[ARG_rxbuf].u_int >= 0) {
            self->rxbuf = args[ARG_rxbuf].u_int;
        }
    }
    if (args[ARG_baudrate].u_int > 0) {
        self->baudrate = esp32_uart_baudrate(args[ARG_baudrate].u_int);
    }
    if (args[ARG_tx].u_obj != MP_OBJ_NULL) {
        self->tx = machine_pin_get_id(args[ARG_tx].u_obj);
    }
    if (args[ARG_rx].u_obj != MP_OBJ_NULL) {
        self->rx = machine_pin_get_id(args[ARG_rx].u_obj);
    }
    if (args[ARG_rts].u_obj != MP_OBJ_NULL) {
        self->rts = machine_pin_get_id(args[ARG_rts].u_obj);
    }
    if (args[ARG_cts].u_obj != MP_OBJ_NULL) {
        self->cts = machine_pin_get_id(args[ARG_cts].u_obj);
    }
    switch (args[ARG_bits].u_int) {
        case 0:
            break;
        case 5:
        case 6:
        case 7:
        case 8:
            self->bits = args[ARG_bits].u_int;
            break;
        default:
            mp_raise_ValueError(MP_ERROR_TEXT("invalid data bits"));
    }
    if (args[ARG_parity].u_obj != MP_OBJ_NULL) {
        if (args[ARG_parity].u_obj == mp_const_none) {
            self->parity = -1;
        } else {
            self->parity = mp_obj_get_int(args[ARG_parity].u_obj) & 1;
        }
    }
    switch (args[ARG_stop].u_int) {
        case 0:
            break;
        case 1:
        case 2:
            self->stop = args[ARG_stop].u_int;
            break;
        default:
            mp_raise_ValueError(MP_ERROR_TEXT("invalid stop bits"));
    }
    if (args[ARG_timeout].u_int != -1) {
        self->timeout = args[ARG_timeout].u_int;
    }
    if (args[ARG_timeout_char].u_int != -1) {
        self->timeout_char = args[ARG_timeout_char].u_int;
    }
    if (args[ARG_invert].u_int != -1) {
        if (args[ARG_invert].u_int & ~UART_INVERT_MASK) {
            mp_raise_ValueError(MP_ERROR_TEXT("invalid inversion mask"));
        }
        self->invert = args[ARG_invert].u_int;
    }
    if (args[ARG_flow].u_int != -1) {
        if (args[ARG_flow].u_int & ~UART_HWCONTROL_MASK) {
            mp_raise_ValueError(MP_ERROR_TEXT("invalid flow control mask"));
        }
        self->flow = args[ARG_flow].u_int;
    }

    // The console's wires stay the REPL's; any other UART is (re)started,
    // which also drops what it had received ("discard any input").
    if (self->id != UART_REPL) {
        uart_switch_off(self);
        uart_switch_on(self);
    }
}

static mp_obj_t mp_machine_uart_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, MP_OBJ_FUN_ARGS_MAX, true);
    mp_int_t id = mp_obj_get_int(args[0]);
    if (id < 0 || id >= UART_COUNT) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("UART(%d) does not exist"), id);
    }
    machine_uart_obj_t *self = &machine_uart_obj[id];
    mp_map_t kw_args;
    mp_map_init_fixed_table(&kw_args, n_kw, args + n_args);
    mp_machine_uart_init_helper(self, n_args - 1, args + 1, &kw_args);
    return MP_OBJ_FROM_PTR(self);
}

static void mp_machine_uart_deinit(machine_uart_obj_t *self) {
    uart_switch_off(self);
}

static void mp_machine_uart_sendbreak(machine_uart_obj_t *self) {
    // 13 bits low on TX, after what is still being sent.
    uart_wait_tx_done(self);
    mp_hal_delay_us(13000000 / self->baudrate);
}

static bool uart_irq_is_hard(machine_uart_obj_t *self, mp_arg_val_t *args) {
    if (args[MP_IRQ_ARG_INIT_hard].u_bool) {
        mp_raise_ValueError(MP_ERROR_TEXT("hard IRQ is not supported"));
    }
    return false;
}

#endif // MICROPY_BOARD_ESP32

void machine_uart_deinit_all(void) {
    for (int i = 0; i < UART_COUNT; ++i) {
        machine_uart_obj_t *self = &machine_uart_obj[i];
        uart_switch_off(self);
        #if MICROPY_BOARD_RP2
        self->baudrate = 0;
        #endif
        self->irq = NULL;
        self->irq_trigger = 0;
        MP_STATE_PORT(machine_uart_irq_obj)[i] = NULL;
    }
}

static mp_int_t mp_machine_uart_any(machine_uart_obj_t *self) {
    return self->on ? host_uart_any(self->id) : 0;
}

static bool mp_machine_uart_txdone(machine_uart_obj_t *self) {
    return host_ticks_us() >= self->tx_done_us;
}

static mp_uint_t uart_irq_trigger(mp_obj_t self_in, mp_uint_t new_trigger) {
    machine_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    self->irq_trigger = new_trigger;
    return 0;
}

static mp_uint_t uart_irq_info(mp_obj_t self_in, mp_uint_t info_type) {
    machine_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (info_type == MP_IRQ_INFO_FLAGS) {
        return self->irq_flags;
    } else if (info_type == MP_IRQ_INFO_TRIGGERS) {
        return self->irq_trigger;
    }
    return 0;
}

static const mp_irq_methods_t uart_irq_methods = {
    .trigger = uart_irq_trigger,
    .info = uart_irq_info,
};

static mp_irq_obj_t *mp_machine_uart_irq(machine_uart_obj_t *self, bool any_args, mp_arg_val_t *args) {
    #if MICROPY_BOARD_ESP32
    if (self->id == UART_REPL) {
        mp_raise_ValueError(MP_ERROR_TEXT("REPL UART does not support IRQs"));
    }
    #endif
    if (self->irq == NULL) {
        self->irq_trigger = 0;
        self->irq = mp_irq_new(&uart_irq_methods, MP_OBJ_FROM_PTR(self));
        MP_STATE_PORT(machine_uart_irq_obj)[self->id] = self->irq;
    }
    if (any_args) {
        mp_obj_t handler = args[MP_IRQ_ARG_INIT_handler].u_obj;
        if (handler != mp_const_none && !mp_obj_is_callable(handler)) {
            mp_raise_ValueError(MP_ERROR_TEXT("handler must be None or callable"));
        }
        mp_uint_t trigger = args[MP_IRQ_ARG_INIT_trigger].u_int;
        mp_uint_t not_supported = trigger & ~UART_IRQ_ALLOWED;
        if (trigger != 0 && not_supported) {
            mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("trigger 0x%04x unsupported"), not_supported);
        }
        self->irq->handler = handler;
        self->irq->ishard = uart_irq_is_hard(self, args);
        self->irq_trigger = trigger;
    }
    return self->irq;
}

#if MICROPY_BOARD_RP2
// rp2: each character waits up to its timeout (the first `timeout`, the
// next ones `timeout_char`), counted in whole ms as the port does.
static mp_uint_t mp_machine_uart_read(mp_obj_t self_in, void *buf_in, mp_uint_t size, int *errcode) {
    machine_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    uint8_t *dest = buf_in;
    mp_uint_t got = 0;
    mp_uint_t start = mp_hal_ticks_ms();
    mp_uint_t timeout = self->timeout;
    while (got < size) {
        size_t n = self->on ? host_uart_read(self->id, dest + got, size - got) : 0;
        if (n > 0) {
            got += n;
            start = mp_hal_ticks_ms();
            timeout = self->timeout_char;
            continue;
        }
        mp_uint_t elapsed = mp_hal_ticks_ms() - start;
        if (elapsed > timeout) {
            break;
        }
        mp_event_wait_ms(timeout + 1 - elapsed);     // data arriving ends it
    }
    if (got == 0 && size > 0) {
        *errcode = MP_EAGAIN;
        return MP_STREAM_ERROR;
    }
    return got;
}
#endif

#if MICROPY_BOARD_ESP32
// esp32 (ESP-IDF's uart_read_bytes): the first character waits up to
// `timeout`, then the rest of them together up to `timeout_char`.
static size_t uart_read_until(machine_uart_obj_t *self, uint8_t *dest, size_t size, mp_uint_t timeout_ms) {
    size_t got = 0;
    mp_uint_t start = mp_hal_ticks_ms();
    while (got < size) {
        size_t n = self->on ? host_uart_read(self->id, dest + got, size - got) : 0;
        got += n;
        if (n > 0) {
            continue;
        }
        mp_uint_t elapsed = mp_hal_ticks_ms() - start;
        if (elapsed >= timeout_ms) {
            break;
        }
        mp_event_wait_ms(timeout_ms - elapsed);      // data arriving ends it
    }
    return got;
}

static mp_uint_t mp_machine_uart_read(mp_obj_t self_in, void *buf_in, mp_uint_t size, int *errcode) {
    machine_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (size == 0) {
        return 0;
    }
    size_t got = uart_read_until(self, buf_in, 1, self->timeout);
    if (got > 0 && size > 1) {
        got += uart_read_until(self, (uint8_t *)buf_in + 1, size - 1, self->timeout_char);
    }
    if (got == 0) {
        *errcode = MP_EAGAIN;
        return MP_STREAM_ERROR;
    }
    return got;
}
#endif

static mp_uint_t mp_machine_uart_write(mp_obj_t self_in, const void *buf_in, mp_uint_t size, int *errcode) {
    machine_uart_obj_t *self = MP_OBJ_TO_PTR(self_in);
    const uint8_t *src = buf_in;
    #if MICROPY_BOARD_ESP32
    if (self->id == UART_REPL) {
        mp_hal_stdout_tx_strn((const char *)src, size);
        return size;
    }
    #endif
    if (!self->on) {
        // The peripheral is off: nothing goes out.
        return size;
    }
    mp_uint_t i = 0;
    #if MICROPY_BOARD_RP2
    // The port gives up after `timeout` ms without room (then `timeout_char`
    // once some went), and says how much it took.
    uint64_t deadline = host_ticks_us() + ((uint64_t)self->timeout + 1) * 1000;
    #endif
    while (i < size) {
        size_t room = uart_tx_room(self);
        if (room > 0) {
            size_t n = MIN(room, size - i);
            self->tx_done_us = host_uart_write(self->id, src + i, n);
            i += n;
            #if MICROPY_BOARD_RP2
            deadline = host_ticks_us() + ((uint64_t)self->timeout_char + 1) * 1000;
            #endif
            continue;
        }
        // Wait for the oldest character to leave TX.
        uint64_t now = host_ticks_us();
        uint64_t wait = MIN(self->tx_done_us - now, uart_char_ns(self) / 1000 + 1);
        #if MICROPY_BOARD_RP2
        if (now >= deadline) {
            if (i == 0) {
                *errcode = MP_EAGAIN;
                return MP_STREAM_ERROR;
            }
            return i;
        }
        wait = MIN(wait, deadline - now);
        #endif
        mp_hal_delay_us((mp_uint_t)wait);
    }
    return size;
}

static mp_uint_t mp_machine_uart_ioctl(mp_obj_t self_in, mp_uint_t request, uintptr_t arg, int *errcode) {
    machine_uart_obj_t *self = self_in;
    if (request == MP_STREAM_POLL) {
        mp_uint_t ret = 0;
        if ((arg & MP_STREAM_POLL_RD) && mp_machine_uart_any(self) > 0) {
            ret |= MP_STREAM_POLL_RD;
        }
        if ((arg & MP_STREAM_POLL_WR) && (!self->on || uart_tx_room(self) > 0)) {
            ret |= MP_STREAM_POLL_WR;
        }
        return ret;
    } else if (request == MP_STREAM_FLUSH) {
        uart_wait_tx_done(self);
        return 0;
    }
    *errcode = MP_EINVAL;
    return MP_STREAM_ERROR;
}
