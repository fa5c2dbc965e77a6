import Testing
import PipelineCore

@Suite struct HomeDirectoryTests {
    @Test func expandsOnlyALeadingTilde() {
        let home = HomeDirectory.path
        #expect(!home.isEmpty && home.hasPrefix("/"))
        var base = Substring(home)
        while base.hasSuffix("/") { base = base.dropLast() }
        #expect(HomeDirectory.expandingTilde("~") == home)
        #expect(HomeDirectory.expandingTilde("~/.cache/pipeline") == String(base) + "/.cache/pipeline")
        #expect(HomeDirectory.expandingTilde("data/~/x") == "data/~/x")
        #expect(HomeDirectory.expandingTilde("/abs/~") == "/abs/~")
        #expect(HomeDirectory.expandingTilde("https://h/~u/x") == "https://h/~u/x")
        #expect(HomeDirectory.expandingTilde("") == "")
    }

    /// `~name` is that user's home; an unknown user leaves the text as it is (as a shell does).
    @Test func namedUsers() {
        #expect(HomeDirectory.expandingTilde("~no-such-user-x9q/data.csv") == "~no-such-user-x9q/data.csv")
        let root = HomeDirectory.expandingTilde("~root/x")
        #expect(root == "~root/x" || (root.hasPrefix("/") && root.hasSuffix("/x")))
    }
}
