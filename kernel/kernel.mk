# kernel/kernel.mk - included by the top Makefile (-include kernel/kernel.mk).
#
#   make kernel        build/kernel/bzImage (Linux 6.12 + kernel/patches),
#                      cached: returns at once when nothing changed
#   make kernel-clean  remove build/kernel (source tree, objects, image)
#
# kernel/build.sh does the work; see its header for the cache rules.

KERNEL_IMAGE  := build/kernel/bzImage
KERNEL_CONFIG := build/kernel/.config

.PHONY: kernel kernel-clean
kernel:
	$(Q)kernel/build.sh build

kernel-clean:
	$(Q)kernel/build.sh clean
