/// What a SIGHUP reload does with a source or endpoint whose section changed.
public enum ReloadBehavior: Sendable, Equatable {
    /// The new section is built and swapped in at once: its HTTP ingress paths are replaced and
    /// its services restarted (webhook sources: rotated secrets, new limits, new paths).
    case rebuild
    /// The running one stays until the next restart; the reload logs that it is waiting.
    case restartRequired
}
