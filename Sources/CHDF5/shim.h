// Debian's serial HDF5 (libhdf5-dev): headers under /usr/include/hdf5/serial, library libhdf5_serial.
// HDF5's constants are macros over global ids (`H5T_NATIVE_FLOAT` is `(H5OPEN H5T_NATIVE_FLOAT_g)`),
// which Swift cannot import; the inline functions below hand them over.
#include <hdf5/serial/hdf5.h>

static inline hid_t chdf5_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_all(void) { return H5S_ALL; }
static inline unsigned chdf5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline hid_t chdf5_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }
/// Silences HDF5's own error printing on standard error (failures are reported by return codes).
static inline void chdf5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
static inline size_t chdf5_variable(void) { return H5T_VARIABLE; }

/// Calls `found(path, isDataset, context)` for every group and dataset under `file`, in name order
/// (paths relative to the root, `layers/dense/vars/0`). H5Lvisit and H5L_info_t are mapped by HDF5's
/// API-compatibility macros (1.10: H5Lvisit1-era; 1.12+: H5Lvisit2), so this compiles against both.
typedef void (*chdf5_found_fn)(const char *path, int is_dataset, void *context);
struct chdf5_visit_context { chdf5_found_fn found; void *context; };
static herr_t chdf5_visit_link(hid_t group, const char *name, const H5L_info_t *info, void *data) {
    (void)info;
    struct chdf5_visit_context *c = (struct chdf5_visit_context *)data;
    hid_t object = H5Oopen(group, name, H5P_DEFAULT);
    if (object < 0) return -1;
    int isDataset = H5Iget_type(object) == H5I_DATASET;
    H5Oclose(object);
    c->found(name, isDataset, c->context);
    return 0;
}
static inline herr_t chdf5_visit(hid_t file, chdf5_found_fn found, void *context) {
    struct chdf5_visit_context c = { found, context };
    return H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, chdf5_visit_link, &c);
}
