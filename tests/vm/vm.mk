# tests/vm/vm.mk - included by the top Makefile (-include tests/vm/vm.mk).
#
#   make vmtest   build/famfs and the kernel (make kernel), then boot them
#                 under QEMU (TCG) and run the scenarios of tests/vm/run.sh;
#                 artifacts and console logs in build/vm.
#   make vmtest VMTEST="boot fallback1"   only those scenarios
#   make vmtest-debug   the same on the debug kernel (make kernel-debug):
#                 every scenario plus evict, remove and fuzz, panic_on_warn,
#                 any KASAN/lockdep/BUG/WARNING report fails; artifacts in
#                 build/vm-debug; FUZZ_VM_SECONDS (default 300) and
#                 FUZZ_SEED tune the fuzz scenario
#
# tests/vm/README.md describes the scenarios and the environment knobs
# (VM_KERNEL, VM_TIMEOUT, VM_SMP, VM_VERBOSE).
#
#   make build/famfs-fault   the fault-injection server of the `negative`
#                 scenario: the sources of build/famfs compiled again with
#                 -DFAMFS_FAULT_INJECT (objects in build/vm/fault).  Test
#                 only: it goes into the initramfs as /bin/famfs-fault and
#                 never into build/famfs or make install.
#
#   make build/vm/famfs-testgen   tests/tools/famfs-testgen.c, static musl,
#                 on the library objects of build/famfs: /bin/famfs-testgen
#                 in the initramfs (makes what no command makes yet, e.g.
#                 an empty regular file).  Test only.

VMTEST ?=

FAULT_DIR  := $(BUILD)/vm/fault
FAULT_OBJS := $(patsubst %.c,$(FAULT_DIR)/%.o,$(LIB_SRCS) $(SRV_SRCS) $(FE_SRCS))

$(FAULT_DIR)/%.o: %.c $(SYSROOT)/flags.mk
	@mkdir -p $(dir $@)
	$(Q)musl-gcc $(MUSL_CFLAGS) -DFAMFS_FAULT_INJECT -MMD -MP -c $< -o $@

$(BUILD)/famfs-fault: $(FAULT_OBJS)
	$(Q)musl-gcc -static -o $(FAULT_DIR)/famfs-fault.unstripped $(FAULT_OBJS) $(SYSROOT_LIBS)
	$(Q)strip -o $@ $(FAULT_DIR)/famfs-fault.unstripped
	@echo "  built $@ ($$(stat -c %s $@) bytes, static musl, FAMFS_FAULT_INJECT: tests only)"

-include $(FAULT_OBJS:.o=.d)

$(BUILD)/vm/famfs-testgen: tests/tools/famfs-testgen.c \
		$(patsubst %.c,$(MUSL_DIR)/%.o,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	$(Q)musl-gcc $(MUSL_CFLAGS) -Ilib -static -o $@ $^ $(SYSROOT_LIBS)

.PHONY: vmtest vmtest-debug vmtest-clean
vmtest: all kernel $(BUILD)/famfs-fault $(BUILD)/vm/famfs-testgen
	$(Q)VM_KERNEL=$(KERNEL_IMAGE) VM_KCONFIG=$(KERNEL_CONFIG) tests/vm/run.sh $(VMTEST)

vmtest-debug: all kernel-debug $(BUILD)/famfs-fault $(BUILD)/vm/famfs-testgen
	$(Q)VM_KERNEL=$(KERNEL_DEBUG_IMAGE) VM_KCONFIG=$(KERNEL_DEBUG_CONFIG) \
		VM_OUT=$(BUILD)/vm-debug tests/vm/run.sh $(VMTEST)

vmtest-clean:
	rm -rf $(BUILD)/vm $(BUILD)/vm-debug $(BUILD)/famfs-fault
