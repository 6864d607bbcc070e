// machine.Timer's part in the main loop: expiries from the host, and the
// soft reset, which stops every timer.
#ifndef BOARDLAB_MACHINE_TIMER_H
#define BOARDLAB_MACHINE_TIMER_H

#include "py/obj.h"

extern const mp_obj_type_t machine_timer_type;

// EVENT_TIMER: alarm `slot` fell due (`generation`: which arming of it).
void machine_timer_event(int slot, int generation);
void machine_timer_deinit_all(void);

#endif
