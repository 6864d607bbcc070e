// machine.RTC, as each port has it: rp2's datetime() (subseconds read 0 and
// are ignored when set), the ESP32's init(), datetime() with microseconds,
// and memory(), the RTC's user memory that survives every reset but a
// power-on. Both read and set the board's RTC (board_rtc.c).
#include <string.h>

#include "py/runtime.h"
#include "py/mphal.h"
#include "extmod/modmachine.h"
#include "shared/timeutils/timeutils.h"
#include "host.h"
#include "board_rtc.h"

// ESP32: the RTC slow memory the port gives to RTC.memory().
#define RTC_USER_MEM_MAX (2048)

typedef struct _machine_rtc_obj_t {
    mp_obj_base_t base;
} machine_rtc_obj_t;

static const machine_rtc_obj_t machine_rtc_obj = {{&machine_rtc_type}};

static mp_obj_t machine_rtc_make_new(const mp_obj_type_t *type, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_arg_check_num(n_args, n_kw, 0, 0, false);
    return MP_OBJ_FROM_PTR(&machine_rtc_obj);
}

// datetime() as a tuple: (year, month, day, weekday, hours, minutes,
// seconds, subseconds), weekday 0 for Monday.
static mp_obj_t rtc_get_datetime(void) {
    uint64_t now_us = board_rtc_us();
    timeutils_struct_time_t tm;
    timeutils_seconds_since_epoch_to_struct_time(now_us / 1000000, &tm);
    mp_obj_t tuple[8] = {
        mp_obj_new_int(tm.tm_year),
        mp_obj_new_int(tm.tm_mon),
        mp_obj_new_int(tm.tm_mday),
        mp_obj_new_int(tm.tm_wday),
        mp_obj_new_int(tm.tm_hour),
        mp_obj_new_int(tm.tm_min),
        mp_obj_new_int(tm.tm_sec),
        #if MICROPY_BOARD_ESP32
        mp_obj_new_int(now_us % 1000000),
        #else
        mp_obj_new_int(0),
        #endif
    };
    return mp_obj_new_tuple(8, tuple);
}

// Sets the RTC from an 8-tuple whose hours, minutes and seconds start at
// `hour_index` (4 for datetime(), 3 for the ESP32's init()).
static void rtc_set_datetime(mp_obj_t datetime, int hour_index) {
    mp_obj_t *items;
    mp_obj_get_array_fixed_n(datetime, 8, &items);
    uint64_t seconds = timeutils_seconds_since_epoch(
        mp_obj_get_int(items[0]),
        mp_obj_get_int(items[1]),
        mp_obj_get_int(items[2]),
        mp_obj_get_int(items[hour_index]),
        mp_obj_get_int(items[hour_index + 1]),
        mp_obj_get_int(items[hour_index + 2]));
    uint64_t us = seconds * 1000000;
    #if MICROPY_BOARD_ESP32
    us += mp_obj_get_int(items[7]);
    #endif
    board_rtc_set_us(us);
}

static mp_obj_t machine_rtc_datetime(size_t n_args, const mp_obj_t *args) {
    if (n_args == 1) {
        return rtc_get_datetime();
    }
    rtc_set_datetime(args[1], 4);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(machine_rtc_datetime_obj, 1, 2, machine_rtc_datetime);

#if MICROPY_BOARD_ESP32

static mp_obj_t machine_rtc_init(mp_obj_t self_in, mp_obj_t date) {
    rtc_set_datetime(date, 3);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_2(machine_rtc_init_obj, machine_rtc_init);

static mp_obj_t machine_rtc_memory(size_t n_args, const mp_obj_t *args) {
    if (n_args == 1) {
        uint8_t data[RTC_USER_MEM_MAX];
        size_t len = host_rtc_memory_read(data, sizeof(data));
        return mp_obj_new_bytes(data, len);
    }
    mp_buffer_info_t bufinfo;
    mp_get_buffer_raise(args[1], &bufinfo, MP_BUFFER_READ);
    if (bufinfo.len > RTC_USER_MEM_MAX) {
        mp_raise_ValueError(MP_ERROR_TEXT("buffer too long"));
    }
    host_rtc_memory_write(bufinfo.buf, bufinfo.len);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(machine_rtc_memory_obj, 1, 2, machine_rtc_memory);

#endif

static const mp_rom_map_elem_t machine_rtc_locals_dict_table[] = {
    #if MICROPY_BOARD_ESP32
    { MP_ROM_QSTR(MP_QSTR_init), MP_ROM_PTR(&machine_rtc_init_obj) },
    #endif
    { MP_ROM_QSTR(MP_QSTR_datetime), MP_ROM_PTR(&machine_rtc_datetime_obj) },
    #if MICROPY_BOARD_ESP32
    { MP_ROM_QSTR(MP_QSTR_memory), MP_ROM_PTR(&machine_rtc_memory_obj) },
    #endif
};
static MP_DEFINE_CONST_DICT(machine_rtc_locals_dict, machine_rtc_locals_dict_table);

MP_DEFINE_CONST_OBJ_TYPE(
    machine_rtc_type,
    MP_QSTR_RTC,
    MP_TYPE_FLAG_NONE,
    make_new, machine_rtc_make_new,
    locals_dict, &machine_rtc_locals_dict
    );
