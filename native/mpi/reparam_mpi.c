// JNI over the few MPI calls reparam needs (dev.reparam.parallel.MpiCommunicator): init and
// finalize, rank and size, broadcast, all-gather, gather-v, a sum in rank order (all-to-all-v and
// all-gather-v), barrier and abort, on doubles in MPI_COMM_WORLD. Loaded only when the process
// runs under mpirun.
#include <dlfcn.h>
#include <jni.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Open MPI opens its components (transports, collectives) with dlopen and they need libmpi's
// symbols globally; System.load gives this library, and with it libmpi, local scope only.
// Re-opening libmpi with RTLD_GLOBAL before MPI_Init makes them visible, as Open MPI's own Java
// bindings do.
JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void)vm;
  (void)reserved;
  const char *names[] = {"libmpi.so.40", "libmpi.so.12", "libmpi.so"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    if (dlopen(names[i], RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) != NULL) break;
  }
  return JNI_VERSION_1_8;
}

static void throw_failure(JNIEnv *env, const char *call, int code) {
  char text[MPI_MAX_ERROR_STRING + 64];
  char reason[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, reason, &length) != MPI_SUCCESS) snprintf(reason, sizeof reason, "code %d", code);
  snprintf(text, sizeof text, "%s failed: %s", call, reason);
  jclass c = (*env)->FindClass(env, "java/lang/IllegalStateException");
  if (c != NULL) (*env)->ThrowNew(env, c, text);
}

#define CHECK(env, call, expr)                    \
  do {                                            \
    int code_ = (expr);                           \
    if (code_ != MPI_SUCCESS) {                   \
      throw_failure(env, call, code_);            \
      return;                                     \
    }                                             \
  } while (0)

JNIEXPORT void JNICALL Java_dev_reparam_parallel_MpiCommunicator_init(JNIEnv *env, jclass cls) {
  (void)cls;
  int provided = 0;
  // errors come back as codes (and become exceptions) instead of aborting inside the library
  CHECK(env, "MPI_Init_thread", MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided));
  CHECK(env, "MPI_Comm_set_errhandler", MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN));
}

JNIEXPORT void JNICALL Java_dev_reparam_parallel_MpiCommunicator_finish(JNIEnv *env, jclass cls) {
  (void)cls;
  CHECK(env, "MPI_Finalize", MPI_Finalize());
}

JNIEXPORT jint JNICALL Java_dev_reparam_parallel_MpiCommunicator_rank0(JNIEnv *env, jclass cls) {
  (void)cls;
  int rank = -1, code = MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (code != MPI_SUCCESS) throw_failure(env, "MPI_Comm_rank", code);
  return rank;
}

JNIEXPORT jint JNICALL Java_dev_reparam_parallel_MpiCommunicator_size0(JNIEnv *env, jclass cls) {
  (void)cls;
  int size = -1, code = MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (code != MPI_SUCCESS) throw_failure(env, "MPI_Comm_size", code);
  return size;
}

JNIEXPORT void JNICALL Java_dev_reparam_parallel_MpiCommunicator_broadcast(JNIEnv *env, jclass cls,
                                                                           jdoubleArray values, jint root) {
  (void)cls;
  jsize n = (*env)->GetArrayLength(env, values);
  jdouble *v = (*env)->GetDoubleArrayElements(env, values, NULL);
  int code = MPI_Bcast(v, n, MPI_DOUBLE, root, MPI_COMM_WORLD);
  (*env)->ReleaseDoubleArrayElements(env, values, v, 0);
  if (code != MPI_SUCCESS) throw_failure(env, "MPI_Bcast", code);
}

// every rank's `mine` (the same length everywhere) into `all`, rank by rank
JNIEXPORT void JNICALL Java_dev_reparam_parallel_MpiCommunicator_allGather(JNIEnv *env, jclass cls,
                                                                           jdoubleArray mine, jdoubleArray all) {
  (void)cls;
  jsize n = (*env)->GetArrayLength(env, mine);
  jdouble *m = (*env)->GetDoubleArrayElements(env, mine, NULL);
  jdouble *a = (*env)->GetDoubleArrayElements(env, all, NULL);
  int code = MPI_Allgather(m, n, MPI_DOUBLE, a, n, MPI_DOUBLE, MPI_COMM_WORLD);
  (*env)->ReleaseDoubleArrayElements(env, mine, m, JNI_ABORT);
  (*env)->ReleaseDoubleArrayElements(env, all, a, 0);
  if (code != MPI_SUCCESS) throw_failure(env, "MPI_Allgather", code);
}

// every rank's `mine` (counts[r] values on rank r) into `all` on rank 0, rank by rank
JNIEXPORT void JNICALL Java_dev_reparam_parallel_MpiCommunicator_gatherToFirst(JNIEnv *env, jclass cls,
                                                                               jdoubleArray mine, jintArray counts,
                                                                               jdoubleArray all) {
  (void)cls;
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  jsize n = (*env)->GetArrayLength(env, mine);
  jdouble *m = (*env)->GetDoubleArrayElements(env, mine, NULL);
  jint *c = (*env)->GetIntArrayElements(env, counts, NULL);
  int displacements[size];
  int offset = 0;
  for (int r = 0; r < size; r++) {
    displacements[r] = offset;
    offset += c[r];
  }
  jdouble *a = rank == 0 ? (*env)->GetDoubleArrayElements(env, all, NULL) : NULL;
  int code = MPI_Gatherv(m, n, MPI_DOUBLE, a, (int *)c, displacements, MPI_DOUBLE, 0, MPI_COMM_WORLD);
  if (a != NULL) (*env)->ReleaseDoubleArrayElements(env, all, a, 0);
  (*env)->ReleaseIntArrayElements(env, counts, c, JNI_ABORT);
  (*env)->ReleaseDoubleArrayElements(env, mine, m, JNI_ABORT);
  if (code != MPI_SUCCESS) throw_failure(env, "MPI_Gatherv", code);
}

// `values` (the same length on every rank) replaced by their sum over the ranks, added in rank
// order 0, 1, ..., K-1 on every rank, so every rank holds the same bits whatever the layout
// (MPI_Allreduce promises neither). A reduce-scatter that keeps that order: rank r receives
// chunk r of every rank's vector (all-to-all-v), adds the K chunks in rank order, and the summed
// chunks are gathered everywhere (all-gather-v). Each rank moves 2 (K-1)/K of the vector in and
// out, as a ring all-reduce does, instead of receiving K-1 whole vectors.
JNIEXPORT void JNICALL Java_dev_reparam_parallel_MpiCommunicator_sumInRankOrder0(JNIEnv *env, jclass cls,
                                                                                 jdoubleArray values) {
  (void)cls;
  int rank = 0, size = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  jsize n = (*env)->GetArrayLength(env, values);
  int counts[size], displacements[size], fromEach[size], at[size];
  // chunks as dev.reparam.parallel.Range: the first n mod K ranks take one more
  int base = n / size, extra = n % size, offset = 0;
  for (int r = 0; r < size; r++) {
    counts[r] = base + (r < extra ? 1 : 0);
    displacements[r] = offset;
    offset += counts[r];
  }
  int mine = counts[rank];
  for (int r = 0; r < size; r++) {
    fromEach[r] = mine;
    at[r] = r * mine;
  }
  double *received = malloc(sizeof(double) * (size_t)(mine > 0 ? mine * size : 1));
  double *sum = malloc(sizeof(double) * (size_t)(mine > 0 ? mine : 1));
  if (received == NULL || sum == NULL) {
    free(received);
    free(sum);
    jclass c = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (c != NULL) (*env)->ThrowNew(env, c, "sumInRankOrder: no memory for the received chunks");
    return;
  }
  jdouble *v = (*env)->GetDoubleArrayElements(env, values, NULL);
  int code = MPI_Alltoallv(v, counts, displacements, MPI_DOUBLE, received, fromEach, at, MPI_DOUBLE, MPI_COMM_WORLD);
  const char *failed = "MPI_Alltoallv";
  if (code == MPI_SUCCESS) {
    for (int i = 0; i < mine; i++) {
      double s = 0;
      for (int r = 0; r < size; r++) s += received[r * mine + i];
      sum[i] = s;
    }
    code = MPI_Allgatherv(sum, mine, MPI_DOUBLE, v, counts, displacements, MPI_DOUBLE, MPI_COMM_WORLD);
    failed = "MPI_Allgatherv";
  }
  (*env)->ReleaseDoubleArrayElements(env, values, v, code == MPI_SUCCESS ? 0 : JNI_ABORT);
  free(received);
  free(sum);
  if (code != MPI_SUCCESS) throw_failure(env, failed, code);
}

JNIEXPORT void JNICALL Java_dev_reparam_parallel_MpiCommunicator_barrier0(JNIEnv *env, jclass cls) {
  (void)cls;
  CHECK(env, "MPI_Barrier", MPI_Barrier(MPI_COMM_WORLD));
}

// stops every rank; the caller has printed its one line
JNIEXPORT void JNICALL Java_dev_reparam_parallel_MpiCommunicator_abort(JNIEnv *env, jclass cls, jint code) {
  (void)env;
  (void)cls;
  fflush(stdout);
  fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
}
