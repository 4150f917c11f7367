/// The release version of this build.
public enum PakLogVersion {
    public static let current = "0.1.0"
}
