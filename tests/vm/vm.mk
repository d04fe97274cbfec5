# tests/vm/vm.mk - included by the top Makefile (-include tests/vm/vm.mk).
#
#   make vmtest   build/famfs and the kernel (make kernel), then boot them
#                 under QEMU (TCG) and run the scenarios of tests/vm/run.sh;
#                 artifacts and console logs in build/vm.
#   make vmtest VMTEST="boot fallback1"   only those scenarios
#
# tests/vm/README.md describes the scenarios and the environment knobs
# (VM_KERNEL, VM_TIMEOUT, VM_SMP, VM_VERBOSE).

VMTEST ?=

.PHONY: vmtest vmtest-clean
vmtest: all kernel
	$(Q)VM_KERNEL=$(KERNEL_IMAGE) VM_KCONFIG=$(KERNEL_CONFIG) tests/vm/run.sh $(VMTEST)

vmtest-clean:
	rm -rf $(BUILD)/vm
