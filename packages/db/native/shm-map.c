/*
 * mapShared(fd, length): a read-only, shared mapping of the first `length` bytes of an open file,
 * as an ArrayBuffer whose bytes are the file's bytes as they change — for reading SQLite's
 * wal-index header (see src/sqlite/commit-probe.ts) without a system call per request.
 *
 * Node has no mmap of its own. The npm packages that offer one either fetch prebuilt binaries
 * from GitHub at install (unreachable where Tokensmith is built offline) or pull node-gyp and
 * Python into the build; this one function compiles with `cc` alone (scripts/build-native.mjs),
 * and without a compiler the probe reads the file instead.
 */
#define NAPI_VERSION 8
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <node_api.h>

#define MAX_LENGTH (1 << 20)

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value map_shared(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int64_t fd = -1;
  int64_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int64(env, argv[0], &fd) != napi_ok || napi_get_value_int64(env, argv[1], &length) != napi_ok ||
      fd < 0 || fd > INT32_MAX || length <= 0 || length > MAX_LENGTH) {
    napi_throw_type_error(env, NULL, "mapShared(fd, length): an open descriptor and 1 byte to 1 MiB");
    return NULL;
  }
  void *bytes = mmap(NULL, (size_t)length, PROT_READ, MAP_SHARED, (int)fd, 0);
  if (bytes == MAP_FAILED) {
    // A fixed message: strerror's buffer is not safe across worker threads.
    napi_throw_error(env, errno == EBADF ? "EBADF" : errno == EACCES ? "EACCES" : "EMMAP", "mmap of the descriptor failed");
    return NULL;
  }
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, bytes, (size_t)length, unmap, (void *)(uintptr_t)length, &buffer) != napi_ok) {
    munmap(bytes, (size_t)length);
    napi_throw_error(env, NULL, "could not wrap the mapping in an ArrayBuffer");
    return NULL;
  }
  return buffer;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "mapShared", NAPI_AUTO_LENGTH, map_shared, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "mapShared", fn) != napi_ok) return NULL;
  return exports;
}
