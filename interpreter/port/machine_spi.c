// machine.SPI: the chip's SPI controllers, as ports/rp2/machine_spi.c and
// ports/esp32/machine_hw_spi.c have them (arguments, defaults, repr,
// errors); extmod/machine_spi.c gives the methods. machine.SoftSPI is
// extmod's class; its transfer (drivers/bus/softspi.c on a board, which
// bit-bangs the pins) is done here the way the hardware's is, by the host
// on what is wired to the pins (host.h: spi_transfer), at the speed the
// bit-banging would run.
#include <string.h>

#include "py/runtime.h"
#include "py/mphal.h"
#include "extmod/modmachine.h"
#include "drivers/bus/spi.h"
#include "machine_pin.h"
#include "host.h"

#define PIN_UNUSED (-1)

// The bits of each byte in the other order: a byte sent least significant
// bit first is, on the wire, this byte sent the usual way.
static void spi_reverse_bits(uint8_t *buf, size_t len) {
    for (size_t i = 0; i < len; ++i) {
        uint8_t b = buf[i], r = 0;
        for (int bit = 0; bit < 8; ++bit) {
            r = (r << 1) | ((b >> bit) & 1);
        }
        buf[i] = r;
    }
}

// One transfer on the wires: src to MOSI, MISO to dest (NULL: dropped).
static void spi_wire_transfer(int sck, int mosi, int miso, uint32_t baudrate, bool lsb_first,
    size_t len, const uint8_t *src, uint8_t *dest) {
    if (!lsb_first) {
        host_spi_transfer(sck, mosi, miso, baudrate, src, dest, len);
        return;
    }
    uint8_t *wire = m_new(uint8_t, len);
    memcpy(wire, src, len);
    spi_reverse_bits(wire, len);
    host_spi_transfer(sck, mosi, miso, baudrate, wire, dest == NULL ? NULL : wire, len);
    if (dest != NULL) {
        spi_reverse_bits(wire, len);
        memcpy(dest, wire, len);
    }
    m_del(uint8_t, wire, len);
}

typedef struct _machine_spi_obj_t {
    mp_obj_base_t base;
    uint8_t id;
    uint8_t polarity;
    uint8_t phase;
    uint8_t bits;
    uint8_t firstbit;
    int8_t sck;
    int8_t mosi;
    int8_t miso;
    uint32_t baudrate;      // 0: not set up yet
} machine_spi_obj_t;

static void spi_take_pins(machine_spi_obj_t *self) {
    const int8_t pins[] = {self->sck, self->mosi, self->miso};
    for (size_t i = 0; i < MP_ARRAY_SIZE(pins); ++i) {
        if (pins[i] != PIN_UNUSED) {
            host_pin_config(pins[i], HOST_PIN_ALT, 0, -1, "SPI");
        }
    }
}

#if MICROPY_BOARD_RP2

#define DEFAULT_SPI_BAUDRATE (1000000)

// The Pico's defaults (SPI0 on GP16-19, SPI1 on GP8-11), MSB first.
static machine_spi_obj_t machine_spi_obj[] = {
    {{&machine_spi_type}, 0, 0, 0, 8, MICROPY_PY_MACHINE_SPI_MSB, 18, 19, 16, 0},
    {{&machine_spi_type}, 1, 0, 0, 8, MICROPY_PY_MACHINE_SPI_MSB, 10, 11, 8, 0},
};

// SPI0 can be GP{0..7,16..23}, SPI1 can be GP{8..15,24..29}.
#define IS_VALID_PERIPH(spi, pin)   ((((pin) & 8) >> 3) == (spi))
#define IS_VALID_SCK(spi, pin)      (((pin) & 3) == 2 && IS_VALID_PERIPH(spi, pin))
#define IS_VALID_MOSI(spi, pin)     (((pin) & 3) == 3 && IS_VALID_PERIPH(spi, pin))
#define IS_VALID_MISO(spi, pin)     (((pin) & 3) == 0 && IS_VALID_PERIPH(spi, pin))

// The rate the Pico SDK's spi_set_baudrate() gives from clk_peri, which
// the port runs at 48 MHz: an even prescaler of 2-254, then a divider of
// 1-256, the fastest rate not above the one asked for.
static uint32_t rp2_spi_baudrate(uint32_t baudrate) {
    const uint32_t clk_peri = 48000000;
    if (baudrate == 0 || baudrate > clk_peri) {
        baudrate = clk_peri;
    }
    uint32_t prescale;
    for (prescale = 2; prescale < 254; prescale += 2) {
        if ((uint64_t)clk_peri < (uint64_t)prescale * 256 * baudrate) {
            break;
        }
    }
    uint32_t postdiv;
    for (postdiv = 256; postdiv > 1; --postdiv) {
        if (clk_peri / (prescale * (postdiv - 1)) > baudrate) {
            break;
        }
    }
    return clk_peri / (prescale * postdiv);
}

static void machine_spi_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_spi_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "SPI(%u, baudrate=%u, polarity=%u, phase=%u, bits=%u, sck=%u, mosi=%u, miso=",
        self->id, self->baudrate, self->polarity, self->phase, self->bits, self->sck, self->mosi);
    if (self->miso == PIN_UNUSED) {
        mp_printf(print, "None)");
    } else {
        mp_printf(print, "%u)", self->miso);
    }
}

static mp_obj_t machine_spi_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    enum { ARG_id, ARG_baudrate, ARG_polarity, ARG_phase, ARG_bits, ARG_firstbit, ARG_sck, ARG_mosi, ARG_miso };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_id,       MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_baudrate, MP_ARG_INT, {.u_int = DEFAULT_SPI_BAUDRATE} },
        { MP_QSTR_polarity, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_phase,    MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 0} },
        { MP_QSTR_bits,     MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 8} },
        { MP_QSTR_firstbit, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = MICROPY_PY_MACHINE_SPI_MSB} },
        { MP_QSTR_sck,      MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_mosi,     MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_miso,     MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_INT(-1)} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    mp_int_t id = args[ARG_id].u_int;
    if (id < 0 || id >= MP_ARRAY_SIZE(machine_spi_obj)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("SPI(%d) doesn't exist"), id);
    }
    machine_spi_obj_t *self = &machine_spi_obj[id];

    if (args[ARG_sck].u_obj != mp_const_none) {
        int sck = mp_hal_get_pin_obj(args[ARG_sck].u_obj);
        if (!IS_VALID_SCK(self->id, sck)) {
            mp_raise_ValueError(MP_ERROR_TEXT("bad SCK pin"));
        }
        self->sck = sck;
    }
    if (args[ARG_mosi].u_obj != mp_const_none) {
        int mosi = mp_hal_get_pin_obj(args[ARG_mosi].u_obj);
        if (!IS_VALID_MOSI(self->id, mosi)) {
            mp_raise_ValueError(MP_ERROR_TEXT("bad MOSI pin"));
        }
        self->mosi = mosi;
    }
    if (args[ARG_miso].u_obj == mp_const_none) {
        self->miso = PIN_UNUSED;
    } else if (args[ARG_miso].u_obj != MP_OBJ_NEW_SMALL_INT(-1)) {
        int miso = mp_hal_get_pin_obj(args[ARG_miso].u_obj);
        if (!IS_VALID_MISO(self->id, miso)) {
            mp_raise_ValueError(MP_ERROR_TEXT("bad MISO pin"));
        }
        self->miso = miso;
    }

    // As the port: set up again when given any argument, or the first time.
    if (n_args > 1 || n_kw > 0 || self->baudrate == 0) {
        self->polarity = args[ARG_polarity].u_int;
        self->phase = args[ARG_phase].u_int;
        self->bits = args[ARG_bits].u_int;
        self->firstbit = args[ARG_firstbit].u_int;
        if (self->firstbit == MICROPY_PY_MACHINE_SPI_LSB) {
            mp_raise_NotImplementedError(MP_ERROR_TEXT("LSB"));
        }
        self->baudrate = rp2_spi_baudrate(args[ARG_baudrate].u_int);
        spi_take_pins(self);
    }
    return MP_OBJ_FROM_PTR(self);
}

static void machine_spi_init(mp_obj_base_t *self_in, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_baudrate, ARG_polarity, ARG_phase, ARG_bits, ARG_firstbit };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_baudrate, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_polarity, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_phase,    MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_bits,     MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
        { MP_QSTR_firstbit, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    };
    machine_spi_obj_t *self = (machine_spi_obj_t *)self_in;
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    if (args[ARG_baudrate].u_int != -1) {
        self->baudrate = rp2_spi_baudrate(args[ARG_baudrate].u_int);
    }
    if (args[ARG_polarity].u_int != -1) {
        self->polarity = args[ARG_polarity].u_int;
    }
    if (args[ARG_phase].u_int != -1) {
        self->phase = args[ARG_phase].u_int;
    }
    if (args[ARG_bits].u_int != -1) {
        self->bits = args[ARG_bits].u_int;
    }
    if (args[ARG_firstbit].u_int != -1) {
        self->firstbit = args[ARG_firstbit].u_int;
        if (self->firstbit == MICROPY_PY_MACHINE_SPI_LSB) {
            mp_raise_NotImplementedError(MP_ERROR_TEXT("LSB"));
        }
    }
}

static void machine_spi_transfer(mp_obj_base_t *self_in, size_t len, const uint8_t *src, uint8_t *dest) {
    machine_spi_obj_t *self = (machine_spi_obj_t *)self_in;
    spi_wire_transfer(self->sck, self->mosi, self->miso, self->baudrate, false, len, src, dest);
}

static const mp_machine_spi_p_t machine_spi_p = {
    .init = machine_spi_init,
    .transfer = machine_spi_transfer,
};

#endif // MICROPY_BOARD_RP2

#if MICROPY_BOARD_ESP32

// SPI(1) is HSPI (ESP-IDF's SPI2_HOST), SPI(2) VSPI (SPI3_HOST), on their
// IO_MUX pins by default.
static const int8_t spi_default_pins[2][3] = {
    {14, 13, 12},
    {18, 23, 19},
};

enum { SPI_STATE_NONE, SPI_STATE_INIT, SPI_STATE_DEINIT };

static machine_spi_obj_t machine_spi_obj[2];
static uint8_t machine_spi_state[2];

// The clock ESP-IDF's spi_get_actual_clock() finds on the 80 MHz APB
// clock: the APB clock itself above 3/4 of it, else the pre-divider and
// count (n of 2-64, the larger on a tie) closest to the rate asked for.
static uint32_t esp32_spi_baudrate(uint32_t hz) {
    const int32_t apb = 80000000;
    if (hz > (uint32_t)(apb / 4) * 3) {
        return apb;
    }
    int32_t best = -1, best_err = 0;
    for (int32_t n = 2; n <= 64; n++) {
        int32_t pre = ((apb / n) + (int32_t)(hz / 2)) / (int32_t)hz;
        if (pre <= 0) {
            pre = 1;
        }
        if (pre > 8192) {
            pre = 8192;
        }
        int32_t freq = apb / (pre * n);
        int32_t err = freq > (int32_t)hz ? freq - (int32_t)hz : (int32_t)hz - freq;
        if (best == -1 || err <= best_err) {
            best_err = err;
            best = freq;
        }
    }
    return best;
}

static void machine_spi_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_spi_obj_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "SPI(id=%u, baudrate=%u, polarity=%u, phase=%u, bits=%u, firstbit=%u, sck=%d, mosi=%d, miso=%d)",
        self->id, self->baudrate, self->polarity, self->phase, self->bits, self->firstbit,
        self->sck, self->mosi, self->miso);
}

enum { ARG_id, ARG_baudrate, ARG_polarity, ARG_phase, ARG_bits, ARG_firstbit, ARG_sck, ARG_mosi, ARG_miso };
static const mp_arg_t spi_allowed_args[] = {
    { MP_QSTR_id,       MP_ARG_REQUIRED | MP_ARG_INT, {.u_int = -1} },
    { MP_QSTR_baudrate, MP_ARG_INT, {.u_int = -1} },
    { MP_QSTR_polarity, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    { MP_QSTR_phase,    MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    { MP_QSTR_bits,     MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    { MP_QSTR_firstbit, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = -1} },
    { MP_QSTR_sck,      MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
    { MP_QSTR_mosi,     MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
    { MP_QSTR_miso,     MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_obj = MP_OBJ_NULL} },
};

// Pins as the port reads them: not given keeps (init) or defaults (new),
// None is no pin (-1).
static void spi_pin_args(mp_arg_val_t args[], const int8_t *defaults, const machine_spi_obj_t *self) {
    const int8_t current[] = {self->sck, self->mosi, self->miso};
    for (int i = ARG_sck; i <= ARG_miso; i++) {
        if (args[i].u_obj == MP_OBJ_NULL) {
            args[i].u_int = defaults != NULL ? defaults[i - ARG_sck] : current[i - ARG_sck];
        } else if (args[i].u_obj == mp_const_none) {
            args[i].u_int = PIN_UNUSED;
        } else {
            args[i].u_int = machine_pin_get_id(args[i].u_obj);
        }
    }
}

static void spi_setup(machine_spi_obj_t *self, mp_arg_val_t args[]) {
    if (args[ARG_baudrate].u_int != -1) {
        self->baudrate = esp32_spi_baudrate(args[ARG_baudrate].u_int);
    }
    if (args[ARG_polarity].u_int != -1) {
        self->polarity = args[ARG_polarity].u_int;
    }
    if (args[ARG_phase].u_int != -1) {
        self->phase = args[ARG_phase].u_int;
    }
    if (args[ARG_bits].u_int != -1 && args[ARG_bits].u_int <= 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid bits"));
    }
    if (args[ARG_bits].u_int != -1) {
        self->bits = args[ARG_bits].u_int;
    }
    if (args[ARG_firstbit].u_int != -1) {
        self->firstbit = args[ARG_firstbit].u_int;
    }
    self->sck = args[ARG_sck].u_int;
    self->mosi = args[ARG_mosi].u_int;
    self->miso = args[ARG_miso].u_int;
    machine_spi_state[self->id - 1] = SPI_STATE_INIT;
    spi_take_pins(self);
}

static mp_obj_t machine_spi_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *all_args) {
    // SPI(-1, ...) is the deprecated way to make a SoftSPI.
    MP_MACHINE_SPI_CHECK_FOR_LEGACY_SOFTSPI_CONSTRUCTION(n_args, n_kw, all_args);

    mp_arg_val_t args[MP_ARRAY_SIZE(spi_allowed_args)];
    mp_arg_parse_all_kw_array(n_args, n_kw, all_args, MP_ARRAY_SIZE(spi_allowed_args), spi_allowed_args, args);
    mp_int_t id = args[ARG_id].u_int;
    if (id < 1 || id > MP_ARRAY_SIZE(machine_spi_obj)) {
        mp_raise_msg_varg(&mp_type_ValueError, MP_ERROR_TEXT("SPI(%d) doesn't exist"), id);
    }
    machine_spi_obj_t *self = &machine_spi_obj[id - 1];
    spi_pin_args(args, spi_default_pins[id - 1], self);
    // Not given: the defaults, 500 kHz, mode 0, 8 bits, MSB first.
    static const mp_int_t defaults[] = { 500000, 0, 0, 8, MICROPY_PY_MACHINE_SPI_MSB };
    for (int i = ARG_baudrate; i <= ARG_firstbit; i++) {
        if (args[i].u_int == -1) {
            args[i].u_int = defaults[i - ARG_baudrate];
        }
    }
    self->base.type = &machine_spi_type;
    self->id = id;
    spi_setup(self, args);
    return MP_OBJ_FROM_PTR(self);
}

static void machine_spi_init(mp_obj_base_t *self_in, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    machine_spi_obj_t *self = (machine_spi_obj_t *)self_in;
    mp_arg_val_t args[MP_ARRAY_SIZE(spi_allowed_args)];
    // init() takes everything but the id.
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(spi_allowed_args) - 1,
        spi_allowed_args + 1, args + 1);
    spi_pin_args(args, NULL, self);
    spi_setup(self, args);
}

static void machine_spi_deinit(mp_obj_base_t *self_in) {
    machine_spi_obj_t *self = (machine_spi_obj_t *)self_in;
    if (machine_spi_state[self->id - 1] == SPI_STATE_INIT) {
        machine_spi_state[self->id - 1] = SPI_STATE_DEINIT;
        const int8_t pins[] = {self->sck, self->mosi, self->miso};
        for (size_t i = 0; i < MP_ARRAY_SIZE(pins); ++i) {
            if (pins[i] != PIN_UNUSED) {
                host_pin_config(pins[i], HOST_PIN_IN, 0, -1, NULL);
            }
        }
    }
}

static void machine_spi_transfer(mp_obj_base_t *self_in, size_t len, const uint8_t *src, uint8_t *dest) {
    machine_spi_obj_t *self = (machine_spi_obj_t *)self_in;
    if (machine_spi_state[self->id - 1] == SPI_STATE_DEINIT) {
        mp_raise_msg(&mp_type_OSError, MP_ERROR_TEXT("transfer on deinitialized SPI"));
    }
    // Whole words of `bits` only.
    if (len * 8 / self->bits * self->bits == 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("buffer too short"));
    }
    spi_wire_transfer(self->sck, self->mosi, self->miso, self->baudrate,
        self->firstbit == MICROPY_PY_MACHINE_SPI_LSB, len, src, dest);
}

static const mp_machine_spi_p_t machine_spi_p = {
    .init = machine_spi_init,
    .deinit = machine_spi_deinit,
    .transfer = machine_spi_transfer,
};

#endif // MICROPY_BOARD_ESP32

MP_DEFINE_CONST_OBJ_TYPE(
    machine_spi_type,
    MP_QSTR_SPI,
    MP_TYPE_FLAG_NONE,
    make_new, machine_spi_make_new,
    print, machine_spi_print,
    protocol, &machine_spi_p,
    locals_dict, &mp_machine_spi_locals_dict
    );

// SoftSPI's bus (drivers/bus/spi.h): the pins as drivers/bus/softspi.c
// sets them up, and its transfer at the rate its delays give (half a clock
// period of `delay_half` microseconds; 0 is as fast as the CPU goes).
int mp_soft_spi_ioctl(void *self_in, uint32_t cmd) {
    mp_soft_spi_obj_t *self = (mp_soft_spi_obj_t *)self_in;
    if (cmd == MP_SPI_IOCTL_INIT) {
        mp_hal_pin_write(self->sck, self->polarity);
        mp_hal_pin_output(self->sck);
        mp_hal_pin_output(self->mosi);
        mp_hal_pin_input(self->miso);
    }
    return 0;
}

void mp_soft_spi_transfer(void *self_in, size_t len, const uint8_t *src, uint8_t *dest) {
    mp_soft_spi_obj_t *self = (mp_soft_spi_obj_t *)self_in;
    #ifdef MICROPY_HW_SOFTSPI_MAX_BAUDRATE
    uint32_t baudrate = self->delay_half == MICROPY_HW_SOFTSPI_MIN_DELAY
        ? MICROPY_HW_SOFTSPI_MAX_BAUDRATE : 500000 / self->delay_half;
    #else
    uint32_t baudrate = 500000 / self->delay_half;
    #endif
    spi_wire_transfer(self->sck, self->mosi, self->miso, baudrate,
        self->firstbit == MICROPY_PY_MACHINE_SPI_LSB, len, src, dest);
}
