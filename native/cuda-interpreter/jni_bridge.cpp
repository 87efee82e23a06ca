// What Java asks of the interpreter itself, beside the driver API: the explanation of the last
// failure (CudaCalls appends it to its message), loading a kernel library, and the seed of the
// thread and block schedules (dev.reparam.cuda.interpreter.Interpreter).
#include "driver_state.h"

#include <jni.h>

#define JNI_API extern "C" JNIEXPORT

using namespace interp;

namespace {
std::string utf(JNIEnv* env, jstring s) {
    const char* c = env->GetStringUTFChars(s, nullptr);
    std::string r(c);
    env->ReleaseStringUTFChars(s, c);
    return r;
}
}  // namespace

JNI_API jstring JNICALL Java_dev_reparam_cuda_interpreter_Interpreter_lastError(JNIEnv* env, jclass) {
    std::lock_guard<std::mutex> guard(driver_lock());
    return env->NewStringUTF(last_error().c_str());
}

JNI_API jstring JNICALL Java_dev_reparam_cuda_interpreter_Interpreter_loadKernels(JNIEnv* env, jclass, jstring path) {
    std::lock_guard<std::mutex> guard(driver_lock());
    return env->NewStringUTF(register_library(utf(env, path)).c_str());
}

JNI_API void JNICALL Java_dev_reparam_cuda_interpreter_Interpreter_setSeed(JNIEnv*, jclass, jlong seed) {
    std::lock_guard<std::mutex> guard(driver_lock());
    set_schedule_seed((uint64_t)seed);
}

JNI_API jlong JNICALL Java_dev_reparam_cuda_interpreter_Interpreter_seed(JNIEnv*, jclass) {
    std::lock_guard<std::mutex> guard(driver_lock());
    return (jlong)schedule_seed();
}

JNI_API jlong JNICALL Java_dev_reparam_cuda_interpreter_Interpreter_launches(JNIEnv*, jclass) {
    std::lock_guard<std::mutex> guard(driver_lock());
    return (jlong)launches_run();
}
