package dev.reparam.sim.ns.cuda;

import dev.reparam.cuda.IntDeviceBuffer;

/** One multigrid level on the device: its couplings (shared by all problems) and sizes (NsMultigrid.Level). */
final class DeviceMgLevel {
    final IntDeviceBuffer east, north;
    final int w, h, cells, chunks;

    DeviceMgLevel(NsMultigrid.Level level, DeviceArena arena) {
        this.w = level.w();
        this.h = level.h();
        this.cells = level.cells();
        this.chunks = level.chunks();
        this.east = arena.ints(cells);
        this.north = arena.ints(cells);
        east.uploadPrefix(level.east());
        north.uploadPrefix(level.north());
    }
}
