// Open MPI from Debian (libopenmpi-dev): <mpi.h> through pkg-config's `ompi` (its include directory),
// libmpi linked by the module map. Open MPI's handles are macros over global objects
// (`MPI_COMM_WORLD` is `OMPI_PREDEFINED_GLOBAL(MPI_Comm, ompi_mpi_comm_world)`), which Swift cannot
// import; the inline functions below hand them over.
#include <mpi.h>

static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype cmpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype cmpi_uint64(void) { return MPI_UINT64_T; }
static inline MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
static inline MPI_Op cmpi_sum(void) { return MPI_SUM; }
static inline MPI_Op cmpi_min(void) { return MPI_MIN; }
static inline MPI_Op cmpi_max(void) { return MPI_MAX; }
static inline void *cmpi_in_place(void) { return MPI_IN_PLACE; }
static inline int cmpi_success(void) { return MPI_SUCCESS; }
static inline int cmpi_thread_serialized(void) { return MPI_THREAD_SERIALIZED; }
/// Makes errors on MPI_COMM_WORLD return codes instead of aborting inside the library, so the
/// failing call can be named before the job is aborted.
static inline void cmpi_errors_return(void) { MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN); }
/// The number of ranks of MPI_COMM_WORLD on this rank's node (shared-memory domain), or 1 when
/// it cannot be told. Collective over MPI_COMM_WORLD.
static inline int cmpi_local_size(void) {
    MPI_Comm node;
    int n = 1;
    if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node) != MPI_SUCCESS) return 1;
    MPI_Comm_size(node, &n);
    MPI_Comm_free(&node);
    return n;
}
