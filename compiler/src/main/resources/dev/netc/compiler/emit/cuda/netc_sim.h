// CPU simulation of the CUDA subset netc's generated kernels use, for tests on machines without a GPU.
// Include it before a generated .cu and compile with a host C++20 compiler. A grid runs block by block; a kernel
// that synchronizes its block runs each block's threads as real threads (one std::thread per CUDA thread) with
// __syncthreads as a std::barrier, and __shared__ arrays are function statics that the block's threads share;
// a kernel without barriers runs its threads one after another on the calling thread.
#pragma once
#include <algorithm>
#include <barrier>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
  dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

namespace netc_sim {
inline thread_local dim3 thread_idx;
inline thread_local dim3 block_idx;
inline dim3 block_dim;
inline dim3 grid_dim;
inline thread_local std::barrier<>* block_barrier = nullptr;

inline void sync_threads() {
  if (block_barrier == nullptr) {
    std::fprintf(stderr, "netc_sim: __syncthreads in a kernel launched without a barrier\n");
    std::abort();
  }
  block_barrier->arrive_and_wait();
}

inline void set_block(unsigned long b) {
  block_idx = dim3(b % grid_dim.x, b / grid_dim.x % grid_dim.y, b / grid_dim.x / grid_dim.y);
}

/** Runs kernel(args...) on grid x block; barrier: the kernel calls __syncthreads. */
template <typename K, typename... A>
void launch(K kernel, dim3 grid, dim3 block, bool barrier, A... args) {
  grid_dim = grid;
  block_dim = block;
  const unsigned long blocks = (unsigned long) grid.x * grid.y * grid.z;
  const unsigned threads = block.x * block.y * block.z;
  auto thread_of = [&](unsigned t) { return dim3(t % block.x, t / block.x % block.y, t / block.x / block.y); };
  if (!barrier) {
    for (unsigned long b = 0; b < blocks; b++) {
      set_block(b);
      for (unsigned t = 0; t < threads; t++) {
        thread_idx = thread_of(t);
        kernel(args...);
      }
    }
    return;
  }
  std::barrier<> bar(threads);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; t++) {
    pool.emplace_back([&, t] {
      block_barrier = &bar;
      thread_idx = thread_of(t);
      for (unsigned long b = 0; b < blocks; b++) {
        set_block(b);
        kernel(args...);
        bar.arrive_and_wait();  // the block's shared arrays are free for the next block
      }
    });
  }
  for (auto& th : pool) th.join();
}
}  // namespace netc_sim

#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __shared__ static
#define threadIdx netc_sim::thread_idx
#define blockIdx netc_sim::block_idx
#define blockDim netc_sim::block_dim
#define gridDim netc_sim::grid_dim
#define __syncthreads() netc_sim::sync_threads()
using std::max;
using std::min;

// CUDA's float4 and an aligned four-float load that checks what the GPU requires: a 16-byte aligned address.
#define NETC_SIM 1
struct alignas(16) float4 {
  float x, y, z, w;
};
inline float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }
inline float4 netc_load4(const float* p) {
  if (reinterpret_cast<std::uintptr_t>(p) % 16 != 0) {
    std::fprintf(stderr, "netc_sim: float4 load from %p, not 16-byte aligned\n", (const void*) p);
    std::abort();
  }
  float4 r;
  std::memcpy(&r, p, sizeof r);
  return r;
}
