# kernel/kernel.mk - included by the top Makefile (-include kernel/kernel.mk).
#
#   make kernel        build/kernel/bzImage (Linux 6.12 + kernel/patches),
#                      cached: returns at once when nothing changed
#   make kernel-clean  remove build/kernel (source tree, objects, image)
#   make kernel-debug  build/kernel-debug/bzImage: the same with
#                      kernel/config.debug (KASAN, lockdep, ...), cached
#   make kernel-debug-clean  remove build/kernel-debug
#
# kernel/build.sh does the work; see its header for the cache rules.

KERNEL_IMAGE  := build/kernel/bzImage
KERNEL_CONFIG := build/kernel/.config

.PHONY: kernel kernel-clean
kernel:
	$(Q)kernel/build.sh build

kernel-clean:
	$(Q)kernel/build.sh clean

# The debug flavour: the same source and patches configured with
# kernel/config.debug on top (Debian's fuse/dax/CXL options, KASAN,
# lockdep, DEBUG_VM, UBSAN); make vmtest-debug boots it.  Cached as make
# kernel is (the key covers both fragments).
KERNEL_DEBUG_IMAGE  := build/kernel-debug/bzImage
KERNEL_DEBUG_CONFIG := build/kernel-debug/.config

.PHONY: kernel-debug kernel-debug-clean
kernel-debug:
	$(Q)KERNEL_FLAVOR=debug kernel/build.sh build

kernel-debug-clean:
	$(Q)KERNEL_FLAVOR=debug kernel/build.sh clean
