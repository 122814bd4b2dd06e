/*
 * A stand-in for libnvidia-ml.so.1 so the real JNA binding can be tested on machines without a GPU.
 *
 * It exports the NVML functions Longshore calls, with NVML's signatures and return codes. What it reports
 * comes from a state file that tests rewrite while the worker runs (atomically, by rename): every call reads
 * the file again, so a change shows up on the next call, as a MIG reconfiguration does with the real driver.
 * The file is named by nvmlStubSetStateFile() (in-process tests) or the NVML_STUB_STATE variable (child
 * processes). One directive per line, '#' starts a comment:
 *
 *   gpu <uuid> [total=<bytes>] [free=<bytes>] [temp=<celsius>] [util=<percent>] [ecc=<count>] [mig=none|0|1]
 *       a physical GPU, indexed in file order; mig=none (default) means the GPU is not MIG capable,
 *       ecc absent means ECC is not supported
 *   mig <gpuIndex> <uuid> [slot=<n>] [total=<bytes>] [free=<bytes>]
 *       a MIG instance of that GPU (visible while the GPU has mig=1); slots not listed are empty (NOT_FOUND)
 *   fail <function> <code>
 *       that NVML function returns <code> while the line is present (e.g. "fail nvmlDeviceGetCount_v2 999")
 *   xid <seq> <gpuIndex> <xid>
 *       a critical Xid event; each sequence number is delivered once by nvmlEventSetWait_v2, in order
 *
 * Build: gcc -shared -fPIC -pthread -o libnvidia-ml.so.1 nvml_stub.c
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_GPUS 16
#define MAX_MIG 7
#define MAX_FAILS 32
#define MAX_XIDS 64
#define UUID_LEN 96

enum {
    NVML_SUCCESS = 0, NVML_ERROR_UNINITIALIZED = 1, NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3, NVML_ERROR_INSUFFICIENT_SIZE = 7, NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_DRIVER_NOT_LOADED = 9, NVML_ERROR_TIMEOUT = 10, NVML_ERROR_GPU_IS_LOST = 15,
    NVML_ERROR_RESET_REQUIRED = 16, NVML_ERROR_UNKNOWN = 999
};
#define EVENT_XID_CRITICAL 0x8ULL
#define EVENT_SINGLE_BIT_ECC 0x1ULL

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int gpu, memory; } nvmlUtilization_t;
typedef struct {
    void *device;
    unsigned long long eventType;
    unsigned long long eventData;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} nvmlEventData_t;

struct mig { int present; char uuid[UUID_LEN]; unsigned long long total, free; };
struct gpu {
    char uuid[UUID_LEN];
    unsigned long long total, free;
    int temp, util;
    long long ecc;    /* -1: not supported */
    int mig_mode;     /* -1: not MIG capable */
    struct mig migs[MAX_MIG];
};
struct fail { char fn[64]; int code; };
struct xid { long seq; int gpu; unsigned long long xid; };
struct state {
    int ok;           /* 0 when the file could not be read */
    int gpu_count;
    struct gpu gpus[MAX_GPUS];
    int fail_count;
    struct fail fails[MAX_FAILS];
    int xid_count;
    struct xid xids[MAX_XIDS];
};

/* Handles are addresses of these bytes: opaque to callers, decodable here. */
static char gpu_handles[MAX_GPUS];
static char mig_handles[MAX_GPUS][MAX_MIG];
static char event_set_object;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char state_path[4096];
static int init_count;
static long delivered_seq;
static int registered[MAX_GPUS];

void nvmlStubSetStateFile(const char *path) {
    pthread_mutex_lock(&lock);
    snprintf(state_path, sizeof state_path, "%s", path ? path : "");
    pthread_mutex_unlock(&lock);
}

/* Forgets what earlier tests did in this process: init count, delivered events, registrations. */
void nvmlStubReset(void) {
    pthread_mutex_lock(&lock);
    init_count = 0;
    delivered_seq = 0;
    memset(registered, 0, sizeof registered);
    pthread_mutex_unlock(&lock);
}

int nvmlStubInitCount(void) {
    pthread_mutex_lock(&lock);
    int n = init_count;
    pthread_mutex_unlock(&lock);
    return n;
}

static const char *path_of_state(void) {
    if (state_path[0] == '\0') {
        const char *env = getenv("NVML_STUB_STATE");
        if (env != NULL) {
            snprintf(state_path, sizeof state_path, "%s", env);
        }
    }
    return state_path;
}

static void parse_options(char *rest, struct gpu *g, struct mig *m, int *slot) {
    for (char *tok = strtok(rest, " \t\r\n"); tok != NULL; tok = strtok(NULL, " \t\r\n")) {
        char *eq = strchr(tok, '=');
        if (eq == NULL) continue;
        *eq = '\0';
        const char *k = tok, *v = eq + 1;
        unsigned long long n = strtoull(v, NULL, 10);
        if (strcmp(k, "total") == 0) { if (g) g->total = n; if (m) m->total = n; }
        else if (strcmp(k, "free") == 0) { if (g) g->free = n; if (m) m->free = n; }
        else if (g && strcmp(k, "temp") == 0) g->temp = (int) n;
        else if (g && strcmp(k, "util") == 0) g->util = (int) n;
        else if (g && strcmp(k, "ecc") == 0) g->ecc = (long long) n;
        else if (g && strcmp(k, "mig") == 0) g->mig_mode = strcmp(v, "none") == 0 ? -1 : (int) n;
        else if (slot && strcmp(k, "slot") == 0) *slot = (int) n;
    }
}

/* Called with the lock held. */
static void read_state(struct state *s) {
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path_of_state(), "r");
    if (f == NULL) return;
    s->ok = 1;
    char line[1024];
    int next_slot[MAX_GPUS] = {0};
    while (fgets(line, sizeof line, f) != NULL) {
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char kind[16], a[UUID_LEN], b[UUID_LEN];
        int used = 0;
        if (sscanf(line, "%15s%n", kind, &used) != 1) continue;
        char *rest = line + used;
        if (strcmp(kind, "gpu") == 0 && s->gpu_count < MAX_GPUS) {
            int n = 0;
            if (sscanf(rest, "%95s%n", a, &n) != 1) continue;
            struct gpu *g = &s->gpus[s->gpu_count++];
            snprintf(g->uuid, UUID_LEN, "%s", a);
            g->total = 16ULL << 30; g->free = 16ULL << 30; g->temp = 40; g->util = 0;
            g->ecc = -1; g->mig_mode = -1;
            parse_options(rest + n, g, NULL, NULL);
        } else if (strcmp(kind, "mig") == 0) {
            int gi, n = 0;
            if (sscanf(rest, "%d %95s%n", &gi, b, &n) != 2 || gi < 0 || gi >= s->gpu_count) continue;
            int slot = next_slot[gi];
            struct mig tmp = {1, "", 5ULL << 30, 5ULL << 30};
            snprintf(tmp.uuid, UUID_LEN, "%s", b);
            parse_options(rest + n, NULL, &tmp, &slot);
            if (slot < 0 || slot >= MAX_MIG) continue;
            s->gpus[gi].migs[slot] = tmp;
            next_slot[gi] = slot + 1;
        } else if (strcmp(kind, "fail") == 0 && s->fail_count < MAX_FAILS) {
            struct fail *fl = &s->fails[s->fail_count];
            if (sscanf(rest, "%63s %d", fl->fn, &fl->code) == 2) s->fail_count++;
        } else if (strcmp(kind, "xid") == 0 && s->xid_count < MAX_XIDS) {
            struct xid *x = &s->xids[s->xid_count];
            if (sscanf(rest, "%ld %d %llu", &x->seq, &x->gpu, &x->xid) == 3) s->xid_count++;
        }
    }
    fclose(f);
}

/* Reads the state; returns the injected failure for fn, or SUCCESS. Leaves the lock held. */
static int enter(const char *fn, struct state *s) {
    pthread_mutex_lock(&lock);
    read_state(s);
    for (int i = 0; i < s->fail_count; i++) {
        if (strcmp(s->fails[i].fn, fn) == 0) return s->fails[i].code;
    }
    return NVML_SUCCESS;
}

static int leave(int rc) {
    pthread_mutex_unlock(&lock);
    return rc;
}

#define ENTER(fn)                                                         \
    struct state st;                                                      \
    int injected = enter(fn, &st);                                        \
    if (injected != NVML_SUCCESS) return leave(injected);                 \
    if (init_count <= 0 && strcmp(fn, "nvmlInit_v2") != 0) return leave(NVML_ERROR_UNINITIALIZED)

/* Decodes a handle: returns the GPU index and sets *slot to the MIG slot, or -1 for the GPU itself. */
static int decode(const struct state *s, void *handle, int *slot) {
    char *h = (char *) handle;
    if (h >= gpu_handles && h < gpu_handles + MAX_GPUS) {
        *slot = -1;
        int i = (int) (h - gpu_handles);
        return i < s->gpu_count ? i : -1;
    }
    if (h >= &mig_handles[0][0] && h < &mig_handles[0][0] + MAX_GPUS * MAX_MIG) {
        int off = (int) (h - &mig_handles[0][0]);
        int i = off / MAX_MIG;
        *slot = off % MAX_MIG;
        if (i >= s->gpu_count || s->gpus[i].mig_mode != 1 || !s->gpus[i].migs[*slot].present) return -1;
        return i;
    }
    return -1;
}

int nvmlInit_v2(void) {
    ENTER("nvmlInit_v2");
    init_count++;
    return leave(NVML_SUCCESS);
}

int nvmlShutdown(void) {
    ENTER("nvmlShutdown");
    init_count--;
    return leave(NVML_SUCCESS);
}

const char *nvmlErrorString(int rc) {
    switch (rc) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NOT_FOUND: return "Not Found";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    case NVML_ERROR_TIMEOUT: return "Timeout";
    case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
    case NVML_ERROR_RESET_REQUIRED: return "GPU requires reset";
    default: return "Unknown Error";
    }
}

int nvmlDeviceGetCount_v2(unsigned int *count) {
    ENTER("nvmlDeviceGetCount_v2");
    if (count == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
    *count = (unsigned int) st.gpu_count;
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void **device) {
    ENTER("nvmlDeviceGetHandleByIndex_v2");
    if (device == NULL || index >= (unsigned int) st.gpu_count) return leave(NVML_ERROR_INVALID_ARGUMENT);
    *device = &gpu_handles[index];
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetUUID(void *device, char *uuid, unsigned int length) {
    ENTER("nvmlDeviceGetUUID");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || uuid == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
    const char *u = slot < 0 ? st.gpus[i].uuid : st.gpus[i].migs[slot].uuid;
    if (strlen(u) + 1 > length) return leave(NVML_ERROR_INSUFFICIENT_SIZE);
    memcpy(uuid, u, strlen(u) + 1);
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetMigMode(void *device, unsigned int *current, unsigned int *pending) {
    ENTER("nvmlDeviceGetMigMode");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || slot >= 0 || current == NULL || pending == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (st.gpus[i].mig_mode < 0) return leave(NVML_ERROR_NOT_SUPPORTED);
    *current = (unsigned int) st.gpus[i].mig_mode;
    *pending = (unsigned int) st.gpus[i].mig_mode;
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetMaxMigDeviceCount(void *device, unsigned int *count) {
    ENTER("nvmlDeviceGetMaxMigDeviceCount");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || slot >= 0 || count == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (st.gpus[i].mig_mode < 0) return leave(NVML_ERROR_NOT_SUPPORTED);
    *count = MAX_MIG;
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetMigDeviceHandleByIndex(void *device, unsigned int index, void **mig) {
    ENTER("nvmlDeviceGetMigDeviceHandleByIndex");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || slot >= 0 || mig == NULL || index >= MAX_MIG) return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (st.gpus[i].mig_mode != 1) return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (!st.gpus[i].migs[index].present) return leave(NVML_ERROR_NOT_FOUND);
    *mig = &mig_handles[i][index];
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetMemoryInfo(void *device, nvmlMemory_t *memory) {
    ENTER("nvmlDeviceGetMemoryInfo");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || memory == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
    unsigned long long total = slot < 0 ? st.gpus[i].total : st.gpus[i].migs[slot].total;
    unsigned long long free = slot < 0 ? st.gpus[i].free : st.gpus[i].migs[slot].free;
    memory->total = total;
    memory->free = free;
    memory->used = total > free ? total - free : 0;
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetUtilizationRates(void *device, nvmlUtilization_t *util) {
    ENTER("nvmlDeviceGetUtilizationRates");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || util == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (slot >= 0) return leave(NVML_ERROR_NOT_SUPPORTED); /* as on real MIG instances */
    util->gpu = (unsigned int) st.gpus[i].util;
    util->memory = (unsigned int) st.gpus[i].util;
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetTemperature(void *device, int sensor, unsigned int *temp) {
    ENTER("nvmlDeviceGetTemperature");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || temp == NULL || sensor != 0) return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (slot >= 0) return leave(NVML_ERROR_NOT_SUPPORTED);
    *temp = (unsigned int) st.gpus[i].temp;
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetTotalEccErrors(void *device, int errorType, int counterType, unsigned long long *count) {
    ENTER("nvmlDeviceGetTotalEccErrors");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || count == NULL || errorType < 0 || errorType > 1 || counterType < 0 || counterType > 1) {
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    }
    if (slot >= 0 || st.gpus[i].ecc < 0) return leave(NVML_ERROR_NOT_SUPPORTED);
    *count = (unsigned long long) st.gpus[i].ecc;
    return leave(NVML_SUCCESS);
}

int nvmlEventSetCreate(void **set) {
    ENTER("nvmlEventSetCreate");
    if (set == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
    *set = &event_set_object;
    return leave(NVML_SUCCESS);
}

int nvmlDeviceGetSupportedEventTypes(void *device, unsigned long long *types) {
    ENTER("nvmlDeviceGetSupportedEventTypes");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || slot >= 0 || types == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
    *types = EVENT_XID_CRITICAL | EVENT_SINGLE_BIT_ECC;
    return leave(NVML_SUCCESS);
}

int nvmlDeviceRegisterEvents(void *device, unsigned long long types, void *set) {
    ENTER("nvmlDeviceRegisterEvents");
    int slot, i = decode(&st, device, &slot);
    if (i < 0 || slot >= 0 || set != &event_set_object) return leave(NVML_ERROR_INVALID_ARGUMENT);
    if (types & ~(EVENT_XID_CRITICAL | EVENT_SINGLE_BIT_ECC)) return leave(NVML_ERROR_NOT_SUPPORTED);
    if (types & EVENT_XID_CRITICAL) registered[i] = 1;
    return leave(NVML_SUCCESS);
}

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Delivers the next undelivered Xid of a registered GPU; otherwise waits up to timeoutMs and says TIMEOUT. */
int nvmlEventSetWait_v2(void *set, nvmlEventData_t *data, unsigned int timeoutMs) {
    long deadline = now_ms() + timeoutMs;
    for (;;) {
        ENTER("nvmlEventSetWait_v2");
        if (set != &event_set_object || data == NULL) return leave(NVML_ERROR_INVALID_ARGUMENT);
        struct xid *next = NULL;
        for (int k = 0; k < st.xid_count; k++) {
            struct xid *x = &st.xids[k];
            if (x->seq > delivered_seq && x->gpu >= 0 && x->gpu < st.gpu_count && registered[x->gpu]
                && (next == NULL || x->seq < next->seq)) {
                next = x;
            }
        }
        if (next != NULL) {
            delivered_seq = next->seq;
            data->device = &gpu_handles[next->gpu];
            data->eventType = EVENT_XID_CRITICAL;
            data->eventData = next->xid;
            data->gpuInstanceId = 0xFFFFFFFFu;
            data->computeInstanceId = 0xFFFFFFFFu;
            return leave(NVML_SUCCESS);
        }
        leave(NVML_SUCCESS);
        if (now_ms() >= deadline) return NVML_ERROR_TIMEOUT;
        usleep(5000);
    }
}

int nvmlEventSetFree(void *set) {
    ENTER("nvmlEventSetFree");
    if (set != &event_set_object) return leave(NVML_ERROR_INVALID_ARGUMENT);
    return leave(NVML_SUCCESS);
}
