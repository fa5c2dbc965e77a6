// libFuzzer's driver entry, called from the fuzz targets' own `main` (SwiftPM names an
// executable's entry point `<Target>_main` and aliases `main` to it, so libFuzzer's `main`
// is never linked in).
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
