import CHDF5
import PipelineCore

/// A whole HDF5 file built in memory with libhdf5 (Debian's `libhdf5-dev`), the container of
/// Keras' `model.weights.h5`.
///
/// ```swift
/// var h5 = HDF5Image()
/// h5.group("layers/dense/vars", attributes: ["name": "dense"])
/// h5.dataset("layers/dense/vars/0", shape: [8, 1], values: kernel)   // float32, little-endian
/// let bytes = try h5.bytes()                                          // the file's bytes
/// let listing = try HDF5Image.contents(of: bytes)                     // read back: paths, shapes, dtypes
/// ```
///
/// Semantics: groups are created parents first (a dataset's missing parents too), in the order
/// given; datasets are contiguous `H5T_IEEE_F32LE` (or `H5T_STD_I64LE`), a scalar for shape `[]`; attributes are
/// scalar variable-length UTF-8 strings (what h5py writes for `attrs["name"] = "dense"`). The file
/// uses libhdf5's default (oldest compatible) format, which h5py and every libhdf5 since 1.8 read.
/// The file is written with the `core` driver and no backing store: nothing touches the disk.
/// Serial libhdf5 is not thread-safe, so every use goes through one process-wide lock.
/// Cost: one copy of every value, plus the file image (the values' size and a few KB of metadata).
/// Failures: ``IOFailure`` naming the HDF5 call and the object path.
public struct HDF5Image: Sendable {
    public struct Group: Sendable, Equatable { public var path: String; public var attributes: [String: String] }
    public struct Dataset: Sendable, Equatable {
        public var path: String; public var shape: [Int]; public var values: [Float]
        /// Set for an int64 dataset (then `values` is empty).
        public var integers: [Int64]?
    }
    public private(set) var groups: [Group] = []
    public private(set) var datasets: [Dataset] = []

    public init() {}

    public mutating func group(_ path: String, attributes: [String: String] = [:]) {
        groups.append(Group(path: path, attributes: attributes))
    }

    /// A float32 dataset; `values.count` must equal the product of `shape` (a precondition).
    public mutating func dataset(_ path: String, shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "HDF5Image: \(path) has \(values.count) values for shape \(shape)")
        datasets.append(Dataset(path: path, shape: shape, values: values, integers: nil))
    }

    /// An int64 dataset (Keras' optimizer `iteration` counter is a scalar of this type).
    public mutating func dataset(_ path: String, shape: [Int], integers: [Int64]) {
        precondition(shape.reduce(1, *) == integers.count, "HDF5Image: \(path) has \(integers.count) values for shape \(shape)")
        datasets.append(Dataset(path: path, shape: shape, values: [], integers: integers))
    }

    /// The HDF5 file's bytes.
    public func bytes() throws -> [UInt8] {
        try Self.lock.withLock { _ in try write() }
    }

    /// One object of a file read back by ``contents(of:)``.
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var isDataset: Bool
        /// Dataset only: its dimensions (`[]` for a scalar).
        public var shape: [Int]
        /// Dataset only: `float32`, `float64`, `int64`, … (class and byte size), `""` for a group.
        public var dtype: String
        /// Dataset only: the values as float32 when the dtype is `float32`.
        public var values: [Float]
        /// Scalar string attributes of the object.
        public var attributes: [String: String]
    }

    /// Every group and dataset of an HDF5 file, in name order (HDF5's `H5Lvisit`).
    public static func contents(of bytes: [UInt8]) throws -> [Entry] {
        try lock.withLock { _ in try read(bytes) }
    }

    static let lock = Locked(())

    private static func check<T: BinaryInteger>(_ value: T, _ call: String, _ path: String) throws -> T {
        guard value >= 0 else { throw IOFailure("HDF5: \(call) failed", path: path) }
        return value
    }

    private func write() throws -> [UInt8] {
        chdf5_quiet()
        let name = "model.weights.h5"
        let fapl = try Self.check(H5Pcreate(chdf5_file_access()), "H5Pcreate", name)
        defer { H5Pclose(fapl) }
        _ = try Self.check(H5Pset_fapl_core(fapl, 1 << 16, false), "H5Pset_fapl_core", name)
        let file = try Self.check(H5Fcreate(name, chdf5_acc_trunc(), chdf5_default(), fapl), "H5Fcreate", name)
        var closed = false
        defer { if !closed { H5Fclose(file) } }
        var made = Set<String>()
        func makeGroup(_ path: String) throws -> hid_t {
            let parts = path.split(separator: "/")
            for i in parts.indices.dropLast() {
                let parent = parts[...i].joined(separator: "/")
                if made.insert(parent).inserted {
                    H5Gclose(try Self.check(H5Gcreate2(file, parent, chdf5_default(), chdf5_default(), chdf5_default()), "H5Gcreate2", parent))
                }
            }
            if made.insert(path).inserted {
                return try Self.check(H5Gcreate2(file, path, chdf5_default(), chdf5_default(), chdf5_default()), "H5Gcreate2", path)
            }
            return try Self.check(H5Gopen2(file, path, chdf5_default()), "H5Gopen2", path)
        }
        for g in groups {
            let id = try makeGroup(g.path)
            defer { H5Gclose(id) }
            for (key, value) in g.attributes.sorted(by: { $0.key < $1.key }) { try Self.writeAttribute(id, key, value, g.path) }
        }
        for d in datasets {
            if let slash = d.path.lastIndex(of: "/") { H5Gclose(try makeGroup(String(d.path[..<slash]))) }
            let dims = d.shape.map { hsize_t($0) }
            let space = try Self.check(d.shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil), "H5Screate", d.path)
            defer { H5Sclose(space) }
            let fileType = d.integers == nil ? chdf5_ieee_f32le() : chdf5_std_i64le()
            let ds = try Self.check(H5Dcreate2(file, d.path, fileType, space, chdf5_default(), chdf5_default(), chdf5_default()),
                                    "H5Dcreate2", d.path)
            defer { H5Dclose(ds) }
            if let integers = d.integers {
                _ = try integers.withUnsafeBufferPointer {
                    try Self.check(H5Dwrite(ds, chdf5_native_int64(), chdf5_all(), chdf5_all(), chdf5_default(), $0.baseAddress), "H5Dwrite", d.path)
                }
            } else {
                _ = try d.values.withUnsafeBufferPointer {
                    try Self.check(H5Dwrite(ds, chdf5_native_float(), chdf5_all(), chdf5_all(), chdf5_default(), $0.baseAddress), "H5Dwrite", d.path)
                }
            }
        }
        _ = try Self.check(H5Fflush(file, H5F_SCOPE_GLOBAL), "H5Fflush", name)
        let size = try Self.check(H5Fget_file_image(file, nil, 0), "H5Fget_file_image", name)
        var out = [UInt8](repeating: 0, count: size)
        _ = try out.withUnsafeMutableBytes { try Self.check(H5Fget_file_image(file, $0.baseAddress, size), "H5Fget_file_image", name) }
        closed = true
        _ = try Self.check(H5Fclose(file), "H5Fclose", name)
        return out
    }

    private static func writeAttribute(_ object: hid_t, _ key: String, _ value: String, _ path: String) throws {
        let type = try check(H5Tcopy(chdf5_c_s1()), "H5Tcopy", path)
        defer { H5Tclose(type) }
        _ = try check(H5Tset_size(type, chdf5_variable()), "H5Tset_size", path)
        _ = try check(H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset", path)
        let space = try check(H5Screate(H5S_SCALAR), "H5Screate", path)
        defer { H5Sclose(space) }
        let attr = try check(H5Acreate2(object, key, type, space, chdf5_default(), chdf5_default()), "H5Acreate2", "\(path)@\(key)")
        defer { H5Aclose(attr) }
        try value.withCString { cString in
            var pointer: UnsafePointer<CChar>? = cString
            _ = try check(H5Awrite(attr, type, &pointer), "H5Awrite", "\(path)@\(key)")
        }
    }

    private static func read(_ bytes: [UInt8]) throws -> [Entry] {
        chdf5_quiet()
        let name = "model.weights.h5"
        let fapl = try check(H5Pcreate(chdf5_file_access()), "H5Pcreate", name)
        defer { H5Pclose(fapl) }
        _ = try check(H5Pset_fapl_core(fapl, 1 << 16, false), "H5Pset_fapl_core", name)
        _ = try bytes.withUnsafeBytes { try check(H5Pset_file_image(fapl, UnsafeMutableRawPointer(mutating: $0.baseAddress), bytes.count), "H5Pset_file_image", name) }
        let file = H5Fopen(name, chdf5_acc_rdonly(), fapl)
        guard file >= 0 else { throw IOFailure("not an HDF5 file (libhdf5 cannot open it)", path: name) }
        defer { H5Fclose(file) }
        final class Found { var items: [(String, Bool)] = [] }
        let found = Found()
        let status = chdf5_visit(file, { path, isDataset, context in
            Unmanaged<Found>.fromOpaque(context!).takeUnretainedValue().items.append((String(cString: path!), isDataset != 0))
        }, Unmanaged.passUnretained(found).toOpaque())
        _ = try check(status, "H5Lvisit", name)
        var out: [Entry] = []
        for (path, isDataset) in found.items {
            var entry = Entry(path: path, isDataset: isDataset, shape: [], dtype: "", values: [], attributes: [:])
            let object = try check(H5Oopen(file, path, chdf5_default()), "H5Oopen", path)
            defer { H5Oclose(object) }
            entry.attributes = try stringAttributes(object, path)
            if isDataset {
                let space = try check(H5Dget_space(object), "H5Dget_space", path)
                defer { H5Sclose(space) }
                let rank = Int(try check(H5Sget_simple_extent_ndims(space), "H5Sget_simple_extent_ndims", path))
                var dims = [hsize_t](repeating: 0, count: rank)
                _ = try check(H5Sget_simple_extent_dims(space, &dims, nil), "H5Sget_simple_extent_dims", path)
                entry.shape = dims.map { Int($0) }
                let type = try check(H5Dget_type(object), "H5Dget_type", path)
                defer { H5Tclose(type) }
                let size = H5Tget_size(type)
                switch H5Tget_class(type) {
                case H5T_FLOAT: entry.dtype = "float\(size * 8)"
                case H5T_INTEGER: entry.dtype = (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") + "\(size * 8)"
                case H5T_STRING: entry.dtype = "string"
                default: entry.dtype = "other"
                }
                if entry.dtype == "float32" {
                    entry.values = [Float](repeating: 0, count: entry.shape.reduce(1, *))
                    _ = try entry.values.withUnsafeMutableBufferPointer {
                        try check(H5Dread(object, chdf5_native_float(), chdf5_all(), chdf5_all(), chdf5_default(), $0.baseAddress), "H5Dread", path)
                    }
                }
            }
            out.append(entry)
        }
        return out
    }

    /// The object's scalar string attributes (others are skipped).
    private static func stringAttributes(_ object: hid_t, _ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        let count = H5Aget_num_attrs(object)
        guard count > 0 else { return out }
        for i in 0..<UInt32(count) {
            let attr = H5Aopen_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(i), chdf5_default(), chdf5_default())
            guard attr >= 0 else { continue }
            defer { H5Aclose(attr) }
            var nameBuffer = [CChar](repeating: 0, count: 256)
            guard H5Aget_name(attr, nameBuffer.count, &nameBuffer) >= 0 else { continue }
            let type = H5Aget_type(attr)
            defer { H5Tclose(type) }
            guard H5Tget_class(type) == H5T_STRING, H5Tis_variable_str(type) > 0 else { continue }
            let memType = H5Tcopy(chdf5_c_s1())
            defer { H5Tclose(memType) }
            H5Tset_size(memType, chdf5_variable())
            H5Tset_cset(memType, H5T_CSET_UTF8)
            var pointer: UnsafeMutablePointer<CChar>? = nil
            guard H5Aread(attr, memType, &pointer) >= 0, let pointer else { continue }
            out[String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)] = String(cString: pointer)
            H5free_memory(pointer)
        }
        return out
    }
}
