// machine.I2C: the chip's I2C controllers, as ports/rp2/machine_i2c.c and
// ports/esp32/machine_i2c.c (its legacy driver, which ESP32_GENERIC builds)
// have them: arguments, defaults, repr and errors. A transaction is done by
// the host on the devices wired to the bus's pins (host.h: i2c_transfer);
// extmod/machine_i2c.c gives the methods; machine.SoftI2C is below.
#include "py/runtime.h"
#include "py/mphal.h"
#include "py/mperrno.h"
#include "extmod/modmachine.h"
#include "machine_pin.h"
#include "host.h"

// machine.SoftI2C, below.
extern const mp_obj_type_t mp_machine_soft_i2c_type;

#define I2C_DEFAULT_FREQ (400000)
#define I2C_DEFAULT_TIMEOUT_US (50000)

typedef struct _machine_i2c_obj_t {
    mp_obj_base_t base;
    uint8_t id;
    uint8_t scl;
    uint8_t sda;
    uint32_t freq;          // 0: not set up yet
    uint32_t timeout_us;
} machine_i2c_obj_t;

static void machine_i2c_take_pins(machine_i2c_obj_t *self) {
    host_pin_config(self->scl, HOST_PIN_ALT, HOST_PIN_PULL_UP, -1, "I2C");
    host_pin_config(self->sda, HOST_PIN_ALT, HOST_PIN_PULL_UP, -1, "I2C");
}

#if MICROPY_BOARD_RP2

// The Pico's default pins (the Pico SDK's board header: I2C0 on GP4/GP5).
static machine_i2c_obj_t machine_i2c_obj[] = {
    {{&machine_i2c_type}, 0, 5, 4, 0, 0},
    {{&machine_i2c_type}, 1, 7, 6, 0, 0},
};

// SDA/SCL on even/odd pins, I2C0/I2C1 on even/odd pairs of pins.
#define IS_VALID_SCL(i2c, pin) (((pin) & 1) == 1 && (((pin) & 2) >> 1) == (i2c))
#define IS_VALID_SDA(i2c, pin) (((pin) & 1) == 0 && (((pin) & 2) >> 1) == (i2c))

// The rate the Pico SDK's i2c_set_baudrate() gives: a whole number of
// cycles of clk_sys per SCL period, rounded to the nearest.
static uint32_t rp2_i2c_baudrate(uint32_t baudrate) {
    uint32_t clk_sys = MICROPY_BOARD_CPU_FREQ;
    uint32_t period = (clk_sys + baudrate / 2) / baudrate;
    return clk_sys / period;
}

static void machine_i2c_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_i2c_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "I2C(%u, freq=%u, scl=%u, sda=%u, timeout=%u)",
        self->id, self->freq, self->scl, self->sda, self->timeout_us);
}

static mp_obj_t machine_i2c_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    enum { ARG_id, ARG_freq, ARG_scl, ARG_sda, ARG_timeout };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_id, MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_freq, MP_ARG_INT, {.u_int = I2C_DEFAULT_FREQ} },
        { MP_QSTR_scl, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_sda, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_timeout, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = I2C_DEFAULT_TIMEOUT_US} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    mp_int_t id = args[ARG_id].u_int;
    if (id < 0 || id >= MP_ARRAY_SIZE(machine_i2c_obj)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("I2C(%d) doesn't exist"), id);
    }
    machine_i2c_obj_t *self = &machine_i2c_obj[id];

    if (args[ARG_scl].u_obj != mp_const_none) {
        int scl = mp_hal_get_pin_obj(args[ARG_scl].u_obj);
        if (!IS_VALID_SCL(self->id, scl)) {
            mp_raise_ValueError(MP_ERROR_TEXT("bad SCL pin"));
        }
        self->scl = scl;
    }
    if (args[ARG_sda].u_obj != mp_const_none) {
        int sda = mp_hal_get_pin_obj(args[ARG_sda].u_obj);
        if (!IS_VALID_SDA(self->id, sda)) {
            mp_raise_ValueError(MP_ERROR_TEXT("bad SDA pin"));
        }
        self->sda = sda;
    }

    // As the port: set up again when given any argument, or the first time.
    if (n_args > 1 || n_kw > 0 || self->freq == 0) {
        self->freq = rp2_i2c_baudrate(args[ARG_freq].u_int);
        self->timeout_us = args[ARG_timeout].u_int;
        machine_i2c_take_pins(self);
    }
    return MP_OBJ_FROM_PTR(self);
}

// The Pico SDK's transfers, one buffer at a time (extmod's adaptor joins
// the buffers): an address NACK is EIO, a timeout (for the whole transfer)
// ETIMEDOUT. A zero-length write is the port's bit-banged probe, whose
// NACK is ENODEV.
static int machine_i2c_transfer_single(mp_obj_base_t *self_in, uint16_t addr, size_t len, uint8_t *buf, unsigned int flags) {
    machine_i2c_obj_t *self = (machine_i2c_obj_t *)self_in;
    bool read = flags & MP_MACHINE_I2C_FLAG_READ;
    int ret = host_i2c_transfer(self->scl, self->sda, self->freq, self->timeout_us, addr,
        read ? NULL : buf, read ? 0 : len, read ? buf : NULL, read ? len : 0,
        flags | HOST_I2C_TIMEOUT_WHOLE);
    if (ret == HOST_I2C_TIMEOUT) {
        return -MP_ETIMEDOUT;
    }
    if (ret == HOST_I2C_NACK) {
        return (!read && len == 0) ? -MP_ENODEV : -MP_EIO;
    }
    return ret;
}

static const mp_machine_i2c_p_t machine_i2c_p = {
    .transfer = mp_machine_i2c_transfer_adaptor,
    .transfer_single = machine_i2c_transfer_single,
};

#endif // MICROPY_BOARD_RP2

#if MICROPY_BOARD_ESP32

// ports/esp32's defaults (MICROPY_HW_I2C0_SCL...): I2C(0) on GPIO18/19, I2C(1) on 25/26.
static machine_i2c_obj_t machine_i2c_obj[] = {
    {{NULL}, 0, 18, 19, 0, 0},
    {{NULL}, 1, 25, 26, 0, 0},
};

// The ESP32's timeout register counts 20 bits of the 80 MHz APB clock: a
// device may stretch the clock by about 13 ms at most, whatever is asked.
#define ESP32_I2C_MAX_STRETCH_US ((1 << 20) / 80)

static void machine_i2c_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_i2c_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "I2C(%u, scl=%u, sda=%u, freq=%u, timeout=%u)",
        self->id, self->scl, self->sda, self->freq, self->timeout_us);
}

static mp_obj_t machine_i2c_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    // I2C(-1, ...) is the deprecated way to make a SoftI2C.
    if (n_args != 0) {
        MP_MACHINE_I2C_CHECK_FOR_LEGACY_SOFTI2C_CONSTRUCTION(n_args, n_kw, all_args);
    }

    enum { ARG_id, ARG_scl, ARG_sda, ARG_freq, ARG_timeout };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_id, MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_scl, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_sda, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_freq, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_timeout, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    mp_int_t id = args[ARG_id].u_int;
    if (id < 0 || id >= MP_ARRAY_SIZE(machine_i2c_obj)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("I2C(%d) doesn't exist"), id);
    }
    machine_i2c_obj_t *self = &machine_i2c_obj[id];
    if (self->base.type == NULL) {
        self->base.type = &machine_i2c_type;
        self->freq = I2C_DEFAULT_FREQ;
        self->timeout_us = I2C_DEFAULT_TIMEOUT_US;
    }
    if (args[ARG_scl].u_obj != MP_OBJ_NULL) {
        self->scl = machine_pin_get_id(args[ARG_scl].u_obj);
    }
    if (args[ARG_sda].u_obj != MP_OBJ_NULL) {
        self->sda = machine_pin_get_id(args[ARG_sda].u_obj);
    }
    if (args[ARG_freq].u_int != -1) {
        self->freq = args[ARG_freq].u_int;
    }
    if (args[ARG_timeout].u_int != -1) {
        self->timeout_us = args[ARG_timeout].u_int;
    }
    machine_i2c_take_pins(self);
    return MP_OBJ_FROM_PTR(self);
}

// The legacy driver's command link: address, then the buffers (with
// FLAG_WRITE1 the first is written, the rest read after a repeated start).
// Any NACK fails the whole command: ENODEV; the clock held too long: ETIMEDOUT.
// On success it counts every byte of the buffers.
static int machine_i2c_transfer(mp_obj_base_t *self_in, uint16_t addr, size_t n, mp_machine_i2c_buf_t *bufs, unsigned int flags) {
    machine_i2c_obj_t *self = (machine_i2c_obj_t *)self_in;
    mp_machine_i2c_buf_t *wbuf = NULL;
    if (flags & MP_MACHINE_I2C_FLAG_WRITE1) {
        wbuf = bufs++;
        n--;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; ++i) {
        len += bufs[i].len;
    }
    uint8_t *buf = n == 1 ? bufs[0].buf : m_new(uint8_t, len);
    bool read = flags & MP_MACHINE_I2C_FLAG_READ;
    if (!read && n > 1) {
        for (size_t i = 0, at = 0; i < n; at += bufs[i++].len) {
            memcpy(buf + at, bufs[i].buf, bufs[i].len);
        }
    }
    uint32_t timeout = MIN(self->timeout_us, ESP32_I2C_MAX_STRETCH_US);
    size_t total = len;
    int ret;
    if (wbuf != NULL) {
        ret = host_i2c_transfer(self->scl, self->sda, self->freq, timeout, addr,
            wbuf->buf, wbuf->len, buf, len, flags);
        total += wbuf->len;
    } else {
        ret = host_i2c_transfer(self->scl, self->sda, self->freq, timeout, addr,
            read ? NULL : buf, read ? 0 : len, read ? buf : NULL, read ? len : 0, flags);
    }
    if (read && n > 1) {
        for (size_t i = 0, at = 0; i < n; at += bufs[i++].len) {
            memcpy(bufs[i].buf, buf + at, bufs[i].len);
        }
    }
    if (n > 1) {
        m_del(uint8_t, buf, len);
    }
    if (ret == HOST_I2C_TIMEOUT) {
        return -MP_ETIMEDOUT;
    }
    if (ret < 0 || (size_t)ret < total) {
        return -MP_ENODEV;
    }
    return total;
}

static const mp_machine_i2c_p_t machine_i2c_p = {
    .transfer_supports_write1 = true,
    .transfer = machine_i2c_transfer,
};

#endif // MICROPY_BOARD_ESP32

MP_DEFINE_CONST_OBJ_TYPE(
    machine_i2c_type,
    MP_QSTR_I2C,
    MP_TYPE_FLAG_NONE,
    make_new, machine_i2c_make_new,
    print, machine_i2c_print,
    protocol, &machine_i2c_p,
    locals_dict, &mp_machine_i2c_locals_dict
    );

// ---- machine.SoftI2C ------------------------------------------------------

// extmod's generic SoftI2C as Python sees it (its arguments, repr, errors),
// with the port's own transfer: a transaction (readfrom, writeto, scan and
// the memory methods) goes to the devices whole, through the host, at the
// rate the bit-banging would run, as hardware I2C does here. Bit-banging
// every transfer through the pins works (interpreter/i2c_wire.py answers
// on the wires) but takes about two seconds of host calls for a display's
// 1 KB frame. The primitive operations (start, stop, readinto, write) do
// drive the pins, with the bus's devices answering on the wires.
// (The type has extmod's name, which its I2C(-1, ...) check refers to.)

#define SOFT_I2C_DEFAULT_TIMEOUT_US (50000)

typedef mp_machine_soft_i2c_obj_t machine_soft_i2c_obj_t;

static void soft_i2c_delay(machine_soft_i2c_obj_t *self) {
    mp_hal_delay_us_fast(self->us_delay);
}

static void soft_i2c_sda(machine_soft_i2c_obj_t *self, int level) {
    if (level) {
        mp_hal_pin_od_high(self->sda);
    } else {
        mp_hal_pin_od_low(self->sda);
    }
}

static void soft_i2c_scl_low(machine_soft_i2c_obj_t *self) {
    mp_hal_pin_od_low(self->scl);
}

// Let SCL go high, and wait while a device holds it low (clock stretching).
static int soft_i2c_scl_high(machine_soft_i2c_obj_t *self) {
    mp_hal_pin_od_high(self->scl);
    soft_i2c_delay(self);
    uint64_t deadline = host_ticks_us() + self->us_timeout;
    while (mp_hal_pin_read(self->scl) == 0) {
        if (host_ticks_us() >= deadline) {
            return -MP_ETIMEDOUT;
        }
    }
    return 0;
}

// START: SDA falls while SCL is high.
static int soft_i2c_start(mp_obj_base_t *self_in) {
    machine_soft_i2c_obj_t *self = (machine_soft_i2c_obj_t *)self_in;
    soft_i2c_sda(self, 1);
    soft_i2c_delay(self);
    int ret = soft_i2c_scl_high(self);
    if (ret != 0) {
        return ret;
    }
    soft_i2c_sda(self, 0);
    soft_i2c_delay(self);
    return 0;
}

// STOP: SDA rises while SCL is high.
static int soft_i2c_stop(mp_obj_base_t *self_in) {
    machine_soft_i2c_obj_t *self = (machine_soft_i2c_obj_t *)self_in;
    soft_i2c_delay(self);
    soft_i2c_sda(self, 0);
    soft_i2c_delay(self);
    int ret = soft_i2c_scl_high(self);
    soft_i2c_sda(self, 1);
    soft_i2c_delay(self);
    return ret;
}

// One clock with SDA as given (1: released) during it; what SDA read while
// SCL was high, or a negative errno.
static int soft_i2c_bit(machine_soft_i2c_obj_t *self, int level) {
    soft_i2c_sda(self, level);
    soft_i2c_delay(self);
    int ret = soft_i2c_scl_high(self);
    if (ret != 0) {
        soft_i2c_sda(self, 1);
        return ret;
    }
    int read = mp_hal_pin_read(self->sda);
    soft_i2c_scl_low(self);
    return read;
}

// A byte out, most significant bit first: 0 if the device acknowledged it,
// 1 if not, or a negative errno.
static int soft_i2c_write_byte(machine_soft_i2c_obj_t *self, uint8_t byte) {
    soft_i2c_delay(self);
    soft_i2c_scl_low(self);
    for (int bit = 7; bit >= 0; --bit) {
        int ret = soft_i2c_bit(self, (byte >> bit) & 1);
        if (ret < 0) {
            return ret;
        }
    }
    return soft_i2c_bit(self, 1);
}

// A byte in, then our ACK (or NACK for the last one).
static int soft_i2c_read_byte(machine_soft_i2c_obj_t *self, uint8_t *byte, bool nack) {
    soft_i2c_delay(self);
    soft_i2c_scl_low(self);
    uint8_t value = 0;
    for (int bit = 0; bit < 8; ++bit) {
        int ret = soft_i2c_bit(self, 1);
        if (ret < 0) {
            return ret;
        }
        value = (value << 1) | ret;
    }
    *byte = value;
    int ret = soft_i2c_bit(self, nack);
    soft_i2c_sda(self, 1);
    return ret < 0 ? ret : 0;
}

static int soft_i2c_read(mp_obj_base_t *self_in, uint8_t *dest, size_t len, bool nack) {
    machine_soft_i2c_obj_t *self = (machine_soft_i2c_obj_t *)self_in;
    for (size_t i = 0; i < len; ++i) {
        int ret = soft_i2c_read_byte(self, dest + i, nack && i == len - 1);
        if (ret != 0) {
            return ret;
        }
    }
    return 0;
}

// Returns the number of bytes acknowledged, up to the first NACK.
static int soft_i2c_write(mp_obj_base_t *self_in, const uint8_t *src, size_t len) {
    machine_soft_i2c_obj_t *self = (machine_soft_i2c_obj_t *)self_in;
    int acks = 0;
    for (size_t i = 0; i < len; ++i) {
        int ret = soft_i2c_write_byte(self, src[i]);
        if (ret < 0) {
            return ret;
        }
        if (ret != 0) {
            break;
        }
        ++acks;
    }
    return acks;
}

// A whole transaction, with the generic SoftI2C's results: an address
// NACK is ENODEV, SCL held low past the timeout ETIMEDOUT; a write counts
// the bytes acknowledged, a read 0.
static int soft_i2c_transfer_single(mp_obj_base_t *self_in, uint16_t addr, size_t len, uint8_t *buf, unsigned int flags) {
    machine_soft_i2c_obj_t *self = (machine_soft_i2c_obj_t *)self_in;
    bool read = flags & MP_MACHINE_I2C_FLAG_READ;
    int ret = host_i2c_transfer(self->scl, self->sda, 500000 / self->us_delay, self->us_timeout, addr,
        read ? NULL : buf, read ? 0 : len, read ? buf : NULL, read ? len : 0, flags);
    if (ret == HOST_I2C_NACK) {
        return -MP_ENODEV;
    }
    if (ret == HOST_I2C_TIMEOUT) {
        return -MP_ETIMEDOUT;
    }
    return read ? 0 : ret;
}

static void soft_i2c_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_soft_i2c_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "SoftI2C(scl=" MP_HAL_PIN_FMT ", sda=" MP_HAL_PIN_FMT ", freq=%u)",
        mp_hal_pin_name(self->scl), mp_hal_pin_name(self->sda), 500000 / self->us_delay);
}

static void soft_i2c_init(mp_obj_base_t *self_in, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_scl, ARG_sda, ARG_freq, ARG_timeout };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_scl, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_sda, MP_ARG_REQUIRED | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
        { MP_QSTR_freq, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 400000} },
        { MP_QSTR_timeout, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = SOFT_I2C_DEFAULT_TIMEOUT_US} },
    };
    machine_soft_i2c_obj_t *self = (machine_soft_i2c_obj_t *)self_in;
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);
    self->scl = mp_hal_get_pin_obj(args[ARG_scl].u_obj);
    self->sda = mp_hal_get_pin_obj(args[ARG_sda].u_obj);
    self->us_timeout = args[ARG_timeout].u_int;
    // Half an SCL period, in whole microseconds.
    self->us_delay = 500000 / args[ARG_freq].u_int;
    if (self->us_delay == 0) {
        self->us_delay = 1;
    }
    mp_hal_pin_open_drain(self->scl);
    mp_hal_pin_open_drain(self->sda);
    soft_i2c_stop(&self->base);     // a STOP frees the bus
}

static mp_obj_t soft_i2c_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    machine_soft_i2c_obj_t *self = mp_obj_malloc(machine_soft_i2c_obj_t, &mp_machine_soft_i2c_type);
    mp_map_t kw_args;
    mp_map_init_fixed_table(&kw_args, n_kw, args + n_args);
    soft_i2c_init(&self->base, n_args, args, &kw_args);
    return MP_OBJ_FROM_PTR(self);
}

static const mp_machine_i2c_p_t soft_i2c_p = {
    .init = soft_i2c_init,
    .start = soft_i2c_start,
    .stop = soft_i2c_stop,
    .read = soft_i2c_read,
    .write = soft_i2c_write,
    .transfer = mp_machine_i2c_transfer_adaptor,
    .transfer_single = soft_i2c_transfer_single,
};

MP_DEFINE_CONST_OBJ_TYPE(
    mp_machine_soft_i2c_type,
    MP_QSTR_SoftI2C,
    MP_TYPE_FLAG_NONE,
    make_new, soft_i2c_make_new,
    print, soft_i2c_print,
    protocol, &soft_i2c_p,
    locals_dict, &mp_machine_i2c_locals_dict
    );
