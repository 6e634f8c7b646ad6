/* The per-thread error state behind cnet_last_error and friends. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define CNET__MESSAGE_SIZE 256
_Static_assert(sizeof(((cnet__error_state *)0)->message) == CNET__MESSAGE_SIZE, "one message size");

static _Thread_local cnet_err last_code;
static _Thread_local int last_os_error;
static _Thread_local char last_message[CNET__MESSAGE_SIZE];

cnet_err cnet__fail(cnet_err err, const char *message)
{
    last_code = err;
    last_os_error = 0;
    snprintf(last_message, sizeof last_message, "%s", message);
    return err;
}

cnet_err cnet__fail_os(cnet_err err, int os_error, const char *function, const char *what)
{
    last_code = err;
    last_os_error = os_error;
    if (strcmp(function, what) == 0)
        snprintf(last_message, sizeof last_message, "%s: %s (%s, os error %d)", function, cnet_strerror(err),
                 cnet_err_name(err), os_error);
    else
        snprintf(last_message, sizeof last_message, "%s: %s: %s (%s, os error %d)", function, what,
                 cnet_strerror(err), cnet_err_name(err), os_error);
    return err;
}

void cnet__error_save(cnet__error_state *state)
{
    state->code = last_code;
    state->os_error = last_os_error;
    memcpy(state->message, last_message, sizeof state->message);
}

void cnet__error_restore(const cnet__error_state *state)
{
    last_code = state->code;
    last_os_error = state->os_error;
    memcpy(last_message, state->message, sizeof last_message);
}

cnet_err cnet_last_error(void)
{
    return last_code;
}

int cnet_last_os_error(void)
{
    return last_os_error;
}

const char *cnet_last_error_message(void)
{
    return last_message;
}
