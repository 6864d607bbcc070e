// machine.Timer, as each port has it: the rp2 port's soft timers (alarms of
// the SDK's alarm pool: Timer(mode=, period=/freq=, callback=, hard=), only
// id -1) and the ESP32's four hardware timers (Timer(0..3, ...), soft
// callbacks only). The alarms are the host's (host_timer_start): they fall
// due on the board's clock, exactly, and arrive as EVENT_TIMER events.
#include "py/runtime.h"
#include "py/gc.h"
#include "py/mperrno.h"
#include "py/mphal.h"
#include "extmod/modmachine.h"
#include "host.h"
#include "machine_timer.h"

#define TIMER_MODE_ONE_SHOT (0)
#define TIMER_MODE_PERIODIC (1)

#if MICROPY_BOARD_RP2
// The SDK's default alarm pool holds 16 alarms.
#define TIMER_SLOTS (16)
#else
// The ESP32's two timer groups of two timers each.
#define TIMER_SLOTS (4)
// Their clock: the 80 MHz APB clock divided by 8.
#define TIMER_TICK_HZ (10000000)
#endif

typedef struct _machine_timer_obj_t {
    mp_obj_base_t base;
    int8_t slot;            // the host alarm it runs on, -1 when not running
    uint8_t mode;
    bool hard;
    uint32_t generation;
    uint64_t period_us;
    uint64_t started_us;    // ESP32: when its counter started (Timer.value())
    mp_obj_t callback;
    #if MICROPY_BOARD_ESP32
    uint8_t number;
    uint64_t period_ticks;
    #endif
} machine_timer_obj_t;

#if MICROPY_BOARD_RP2
// A running rp2 timer is known only to the alarm pool, which the GC does not
// see: as on the board, a Timer that nothing refers to may be collected, and
// its finaliser stops it. So this table holds no references.
static machine_timer_obj_t *timer_slots[TIMER_SLOTS];
#define TIMER_SLOT(i) timer_slots[i]
#else
// The ESP32 port keeps its timers in a list the GC sees: they run on.
#define TIMER_SLOT(i) MP_STATE_PORT(machine_timer_slots)[i]
#endif

static uint32_t timer_generation;

static void timer_stop(machine_timer_obj_t *self) {
    if (self->slot >= 0) {
        host_timer_stop(self->slot);
        TIMER_SLOT(self->slot) = NULL;
        self->slot = -1;
    }
}

static void timer_start(machine_timer_obj_t *self, int slot) {
    self->slot = slot;
    self->generation = ++timer_generation;
    self->started_us = host_ticks_us();
    TIMER_SLOT(slot) = self;
    host_timer_start(slot, self->generation, self->period_us, self->mode == TIMER_MODE_PERIODIC);
}

// A float's conversion to an unsigned 64-bit count as the board's runtime
// does it: saturated, negative and NaN to 0.
static uint64_t float_to_u64(mp_float_t value) {
    if (!(value > 0)) {
        return 0;
    }
    if (value >= MICROPY_FLOAT_CONST(18446744073709551615.0)) {
        return UINT64_MAX;
    }
    return (uint64_t)value;
}

// Runs the callback of a timer that fell due. A hard callback runs now, with
// the heap and the scheduler locked, as in an interrupt handler; a soft one
// is scheduled. Returns false when a hard callback raised.
static bool timer_dispatch(machine_timer_obj_t *self) {
    #if MICROPY_BOARD_ESP32
    // The ESP32 port schedules the callback whatever it is (None included).
    mp_sched_schedule(self->callback, MP_OBJ_FROM_PTR(self));
    return true;
    #else
    if (self->callback == mp_const_none) {
        return true;
    }
    if (!self->hard) {
        mp_sched_schedule(self->callback, MP_OBJ_FROM_PTR(self));
        return true;
    }
    bool ok = true;
    mp_sched_lock();
    gc_lock();
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_call_function_1(self->callback, MP_OBJ_FROM_PTR(self));
        nlr_pop();
    } else {
        mp_printf(MICROPY_ERROR_PRINTER, "Uncaught exception in IRQ callback handler\n");
        mp_obj_print_exception(MICROPY_ERROR_PRINTER, MP_OBJ_FROM_PTR(nlr.ret_val));
        ok = false;
    }
    gc_unlock();
    mp_sched_unlock();
    return ok;
    #endif
}

void machine_timer_event(int slot, int generation) {
    if (slot < 0 || slot >= TIMER_SLOTS) {
        return;
    }
    machine_timer_obj_t *self = TIMER_SLOT(slot);
    if (self == NULL || self->generation != (uint32_t)generation) {
        return;     // stopped or started again since
    }
    if (self->mode == TIMER_MODE_ONE_SHOT) {
        #if MICROPY_BOARD_RP2
        // The alarm is done: its place in the pool is free again.
        host_timer_stop(slot);
        TIMER_SLOT(slot) = NULL;
        self->slot = -1;
        #endif
    }
    if (!timer_dispatch(self)) {
        // rp2: a hard callback that raised is not run again.
        timer_stop(self);
    }
}

void machine_timer_deinit_all(void) {
    for (int i = 0; i < TIMER_SLOTS; ++i) {
        machine_timer_obj_t *self = TIMER_SLOT(i);
        if (self != NULL) {
            timer_stop(self);
        }
        #if MICROPY_BOARD_ESP32
        // The soft reset frees the heap: the next Timer(n) makes a new object.
        MP_STATE_PORT(machine_timer_objs)[i] = NULL;
        #endif
    }
}

#if MICROPY_BOARD_RP2

static void machine_timer_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_timer_obj_t *self = MP_OBJ_TO_PTR(self_in);
    qstr mode = self->mode == TIMER_MODE_ONE_SHOT ? MP_QSTR_ONE_SHOT : MP_QSTR_PERIODIC;
    mp_printf(print, "Timer(mode=%q, tick_hz=1000000, period=", mode);
    if (self->period_us <= 0xffffffff) {
        mp_printf(print, "%u)", (uint32_t)self->period_us);
    } else {
        mp_printf(print, "%u000)", (uint32_t)(self->period_us / 1000));
    }
}

static mp_obj_t machine_timer_init_helper(machine_timer_obj_t *self, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_mode, ARG_callback, ARG_period, ARG_tick_hz, ARG_freq, ARG_hard };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_mode, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = TIMER_MODE_PERIODIC} },
        { MP_QSTR_callback, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_period, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 0xffffffff} },
        { MP_QSTR_tick_hz, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 1000} },
        { MP_QSTR_freq, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_hard, MP_ARG_KW_ONLY | MP_ARG_BOOL, {.u_bool = false} },
    };
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);

    // Any mode but ONE_SHOT repeats.
    self->mode = args[ARG_mode].u_int == TIMER_MODE_ONE_SHOT ? TIMER_MODE_ONE_SHOT : TIMER_MODE_PERIODIC;
    if (args[ARG_freq].u_obj != mp_const_none) {
        self->period_us = float_to_u64(MICROPY_FLOAT_CONST(1000000.0) / mp_obj_get_float(args[ARG_freq].u_obj));
    } else {
        // The port's arithmetic, 32-bit period and tick_hz included.
        uint64_t tick_hz = (uint64_t)args[ARG_tick_hz].u_int;
        self->period_us = tick_hz ? (uint64_t)args[ARG_period].u_int * 1000000 / tick_hz : 0;
    }
    if (self->period_us < 1) {
        self->period_us = 1;
    }
    self->callback = args[ARG_callback].u_obj;
    self->hard = args[ARG_hard].u_bool;

    int slot = 0;
    while (slot < TIMER_SLOTS && TIMER_SLOT(slot) != NULL) {
        ++slot;
    }
    if (slot == TIMER_SLOTS) {
        mp_raise_OSError(MP_ENOMEM);    // the alarm pool is full
    }
    timer_start(self, slot);
    return mp_const_none;
}

static mp_obj_t machine_timer_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    machine_timer_obj_t *self = mp_obj_malloc_with_finaliser(machine_timer_obj_t, &machine_timer_type);
    // A Timer not initialised reads as the port's zeroed object does.
    self->slot = -1;
    self->mode = TIMER_MODE_ONE_SHOT;
    self->hard = false;
    self->period_us = 0;
    self->callback = mp_const_none;

    // Only the soft timer, -1, exists.
    mp_int_t id = -1;
    if (n_args > 0) {
        id = mp_obj_get_int(args[0]);
        --n_args;
        ++args;
    }
    if (id != -1) {
        mp_raise_ValueError(MP_ERROR_TEXT("Timer doesn't exist"));
    }
    if (n_args > 0 || n_kw > 0) {
        mp_map_t kw_args;
        mp_map_init_fixed_table(&kw_args, n_kw, args + n_args);
        machine_timer_init_helper(self, n_args, args, &kw_args);
    }
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t machine_timer_init(size_t n_args, const mp_obj_t *args, mp_map_t *kw_args) {
    machine_timer_obj_t *self = MP_OBJ_TO_PTR(args[0]);
    timer_stop(self);
    return machine_timer_init_helper(self, n_args - 1, args + 1, kw_args);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(machine_timer_init_obj, 1, machine_timer_init);

static mp_obj_t machine_timer_deinit(mp_obj_t self_in) {
    timer_stop(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(machine_timer_deinit_obj, machine_timer_deinit);

static const mp_rom_map_elem_t machine_timer_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&machine_timer_deinit_obj) },
    { MP_ROM_QSTR(MP_QSTR_init), MP_ROM_PTR(&machine_timer_init_obj) },
    { MP_ROM_QSTR(MP_QSTR_deinit), MP_ROM_PTR(&machine_timer_deinit_obj) },
    { MP_ROM_QSTR(MP_QSTR_ONE_SHOT), MP_ROM_INT(TIMER_MODE_ONE_SHOT) },
    { MP_ROM_QSTR(MP_QSTR_PERIODIC), MP_ROM_INT(TIMER_MODE_PERIODIC) },
};

#endif // MICROPY_BOARD_RP2

#if MICROPY_BOARD_ESP32

static void machine_timer_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    machine_timer_obj_t *self = MP_OBJ_TO_PTR(self_in);
    qstr mode = self->mode == TIMER_MODE_ONE_SHOT ? MP_QSTR_ONE_SHOT : MP_QSTR_PERIODIC;
    uint64_t period_ms = self->period_ticks / (TIMER_TICK_HZ / 1000);
    mp_printf(print, "Timer(%u, mode=%q, period=%lu)", self->number, mode, (unsigned long)period_ms);
}

static mp_obj_t machine_timer_init_helper(machine_timer_obj_t *self, size_t n_args, const mp_obj_t *pos_args, mp_map_t *kw_args) {
    enum { ARG_mode, ARG_callback, ARG_period, ARG_tick_hz, ARG_freq, ARG_hard };
    static const mp_arg_t allowed_args[] = {
        { MP_QSTR_mode, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = TIMER_MODE_PERIODIC} },
        { MP_QSTR_callback, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_period, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 0xffffffff} },
        { MP_QSTR_tick_hz, MP_ARG_KW_ONLY | MP_ARG_INT, {.u_int = 1000} },
        { MP_QSTR_freq, MP_ARG_KW_ONLY | MP_ARG_OBJ, {.u_rom_obj = MP_ROM_NONE} },
        { MP_QSTR_hard, MP_ARG_KW_ONLY | MP_ARG_BOOL, {.u_bool = false} },
    };
    // The hardware timer stops first, whatever the arguments.
    timer_stop(self);
    mp_arg_val_t args[MP_ARRAY_SIZE(allowed_args)];
    mp_arg_parse_all(n_args, pos_args, kw_args, MP_ARRAY_SIZE(allowed_args), allowed_args, args);
    if (args[ARG_hard].u_bool) {
        mp_raise_ValueError(MP_ERROR_TEXT("hard Timers are not implemented"));
    }
    if (args[ARG_freq].u_obj != mp_const_none) {
        self->period_ticks = float_to_u64((mp_float_t)TIMER_TICK_HZ / mp_obj_get_float(args[ARG_freq].u_obj));
    } else {
        uint64_t tick_hz = (uint64_t)args[ARG_tick_hz].u_int;
        self->period_ticks = tick_hz ? (uint64_t)args[ARG_period].u_int * TIMER_TICK_HZ / tick_hz : 0;
    }
    self->mode = args[ARG_mode].u_int ? TIMER_MODE_PERIODIC : TIMER_MODE_ONE_SHOT;
    self->callback = args[ARG_callback].u_obj;
    // An alarm at counter value 0 fires at once, as soon as the counter runs.
    self->period_us = self->period_ticks / (TIMER_TICK_HZ / 1000000);
    if (self->period_us < 1) {
        self->period_us = 1;
    }
    self->hard = false;
    timer_start(self, self->number);
    return mp_const_none;
}

static mp_obj_t machine_timer_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 1, MP_OBJ_FUN_ARGS_MAX, true);
    mp_uint_t number = mp_obj_get_int(args[0]);
    if (number >= TIMER_SLOTS) {
        mp_raise_ValueError(MP_ERROR_TEXT("invalid Timer number"));
    }
    // One object per hardware timer, made the first time it is asked for.
    machine_timer_obj_t *self = MP_STATE_PORT(machine_timer_objs)[number];
    if (self == NULL) {
        self = mp_obj_malloc(machine_timer_obj_t, &machine_timer_type);
        self->number = number;
        self->slot = -1;
        self->mode = TIMER_MODE_ONE_SHOT;
        self->hard = false;
        self->period_us = 0;
        self->period_ticks = 0;
        self->callback = mp_const_none;
        MP_STATE_PORT(machine_timer_objs)[number] = self;
    }
    if (n_args > 1 || n_kw > 0) {
        mp_map_t kw_args;
        mp_map_init_fixed_table(&kw_args, n_kw, args + n_args);
        machine_timer_init_helper(self, n_args - 1, args + 1, &kw_args);
    }
    return MP_OBJ_FROM_PTR(self);
}

static mp_obj_t machine_timer_init(size_t n_args, const mp_obj_t *args, mp_map_t *kw_args) {
    return machine_timer_init_helper(MP_OBJ_TO_PTR(args[0]), n_args - 1, args + 1, kw_args);
}
static MP_DEFINE_CONST_FUN_OBJ_KW(machine_timer_init_obj, 1, machine_timer_init);

static mp_obj_t machine_timer_deinit(mp_obj_t self_in) {
    timer_stop(MP_OBJ_TO_PTR(self_in));
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(machine_timer_deinit_obj, machine_timer_deinit);

// The counter, in ms: it counts up from the start and, periodic, starts
// again from 0 at each alarm.
static mp_obj_t machine_timer_value(mp_obj_t self_in) {
    machine_timer_obj_t *self = MP_OBJ_TO_PTR(self_in);
    if (self->slot < 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("timer not set"));
    }
    uint64_t elapsed_us = host_ticks_us() - self->started_us;
    if (self->mode == TIMER_MODE_PERIODIC) {
        elapsed_us %= self->period_us;
    }
    return MP_OBJ_NEW_SMALL_INT((mp_uint_t)(elapsed_us / 1000));
}
static MP_DEFINE_CONST_FUN_OBJ_1(machine_timer_value_obj, machine_timer_value);

static const mp_rom_map_elem_t machine_timer_locals_dict_table[] = {
    { MP_ROM_QSTR(MP_QSTR___del__), MP_ROM_PTR(&machine_timer_deinit_obj) },
    { MP_ROM_QSTR(MP_QSTR_deinit), MP_ROM_PTR(&machine_timer_deinit_obj) },
    { MP_ROM_QSTR(MP_QSTR_init), MP_ROM_PTR(&machine_timer_init_obj) },
    { MP_ROM_QSTR(MP_QSTR_value), MP_ROM_PTR(&machine_timer_value_obj) },
    { MP_ROM_QSTR(MP_QSTR_ONE_SHOT), MP_ROM_INT(false) },
    { MP_ROM_QSTR(MP_QSTR_PERIODIC), MP_ROM_INT(true) },
};

// Every hardware timer object made, and the running ones by timer number.
MP_REGISTER_ROOT_POINTER(struct _machine_timer_obj_t *machine_timer_objs[4]);
MP_REGISTER_ROOT_POINTER(struct _machine_timer_obj_t *machine_timer_slots[4]);

#endif // MICROPY_BOARD_ESP32

static MP_DEFINE_CONST_DICT(machine_timer_locals_dict, machine_timer_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(
    machine_timer_type,
    MP_QSTR_Timer,
    MP_TYPE_FLAG_NONE,
    make_new, machine_timer_make_new,
    print, machine_timer_print,
    locals_dict, &machine_timer_locals_dict
    );
