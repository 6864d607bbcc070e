#include "py/runtime.h"
#include "board_machine.h"

void board_machine_event(const host_event_t *event) {
}

void board_machine_deinit(void) {
}
