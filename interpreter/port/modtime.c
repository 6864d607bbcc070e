// time's port half (MICROPY_PY_TIME_INCLUDEFILE): the board's RTC.
#include "py/obj.h"
#include "shared/timeutils/timeutils.h"
#include "board_rtc.h"

static void mp_time_localtime_get(timeutils_struct_time_t *tm) {
    timeutils_seconds_since_epoch_to_struct_time(board_rtc_us() / 1000000, tm);
}

static mp_obj_t mp_time_time_get(void) {
    return mp_obj_new_int_from_ull(board_rtc_us() / 1000000);
}
