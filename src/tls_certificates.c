/* The certificate lists that cnet_socket_get_peer_certificates fills: freed
 * the same way with or without TLS, by the library and by its users. */
#include <stdlib.h>

#include "internal.h"

void cnet_certificate_list_free(cnet_certificate_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i].data);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}
