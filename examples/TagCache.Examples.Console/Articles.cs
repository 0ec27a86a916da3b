namespace TagCache.Examples.Console;

// django-cachesweeper's example: an article has many comments, each comment is cached, and a single vote must
// invalidate that comment's fragment and the whole article page.
public sealed record Article(int Id, string Title, DateTimeOffset UpdatedAt);

public sealed record Comment(int Id, int ArticleId, string Text, int Likes);

/// <summary>The domain event an application publishes when someone votes on a comment.</summary>
public sealed record VoteCast(int CommentId, int ArticleId);

public sealed class ArticleData(FakeDatabase database)
{
    private readonly Dictionary<int, Comment> _comments = new()
    {
        [1] = new Comment(1, 1, "First!", 0),
        [2] = new Comment(2, 1, "Nice article", 0),
    };

    public Article Article { get; set; } = new(1, "Tag caching", new DateTimeOffset(2024, 5, 1, 9, 0, 0, TimeSpan.Zero));

    public Comment LoadComment(int id) => database.Read(() => _comments[id]);

    public IReadOnlyList<int> LoadCommentIds(int articleId) =>
        database.Read(() => _comments.Values.Where(c => c.ArticleId == articleId).Select(c => c.Id).ToList());

    public void Like(int commentId) => _comments[commentId] = _comments[commentId] with { Likes = _comments[commentId].Likes + 1 };
}

public interface ICommentFragments
{
    [CacheWithTags("Comment_{commentId}", Timeout = 500)]
    string Render(int commentId);
}

public interface IArticlePages
{
    // The page calls ICommentFragments.Render through its proxy, so the page carries every comment's tag too.
    [CacheWithTags("Article_{articleId}")]
    string Render(int articleId);

    // django-cachesweeper's using='updated_at': a new UpdatedAt is a new key, so the old entry is never served.
    [CacheWithTags(Key = "ArticleHeader_{article.Id}_{article.UpdatedAt}")]
    string RenderHeader(Article article);
}

public sealed class CommentFragments(ArticleData data) : ICommentFragments
{
    public string Render(int commentId)
    {
        var comment = data.LoadComment(commentId);
        return $"\"{comment.Text}\" ({comment.Likes} likes)";
    }
}

public sealed class ArticlePages(ArticleData data, ICommentFragments comments) : IArticlePages
{
    public string Render(int articleId) =>
        string.Join(" | ", data.LoadCommentIds(articleId).Select(comments.Render));

    public string RenderHeader(Article article) => $"<h1>{article.Title}</h1> ({data.LoadCommentIds(article.Id).Count} comments)";
}

/// <summary>The handler style: the same invalidation as the InvalidateOn registration, declared on the handler.</summary>
public interface IHandle<in TEvent>
{
    void Handle(TEvent e);
}

public sealed class VoteHandler(ArticleData data) : IHandle<VoteCast>
{
    [InvalidateTags("Comment_{e.CommentId}")]
    public void Handle(VoteCast e) => data.Like(e.CommentId);
}
