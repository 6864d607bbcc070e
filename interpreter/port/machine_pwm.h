// machine.PWM (machine_pwm.c): what the soft reset asks of it.
#ifndef BOARDLAB_MACHINE_PWM_H
#define BOARDLAB_MACHINE_PWM_H

// Stop every PWM output and forget the channels' settings, as the ports do at soft reset.
void machine_pwm_deinit_all(void);

#endif
