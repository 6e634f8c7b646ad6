/*
 * Writes every input of tests/data/ipaddr_vectors.inc to its own file in the
 * directory given as argv[1]: the seed corpus of fuzz_ipaddr.
 */
#include <stdio.h>
#include <stdlib.h>

struct seed {
    const char *text;
    size_t len;
};

#define V_OK(t, c) {t, sizeof(t) - 1},
#define V_ERR(t, e) {t, sizeof(t) - 1},
#define V_ZONE(t, c, s) {t, sizeof(t) - 1},
#define V_ZONE_IF(t, c, i) {t, sizeof(t) - 1},
#define V_ZONE_ERR(t, e) {t, sizeof(t) - 1},
static const struct seed seeds[] = {
#include "../tests/data/ipaddr_vectors.inc"
};

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/vector-%04zu", argv[1], i);
        FILE *f = fopen(path, "wb");
        if (f == NULL || fwrite(seeds[i].text, 1, seeds[i].len, f) != seeds[i].len || fclose(f) != 0) {
            perror(path);
            return 1;
        }
    }
    printf("wrote %zu seeds to %s\n", sizeof seeds / sizeof seeds[0], argv[1]);
    return 0;
}
