namespace TagCache.Testing;

public sealed record Article(int Id, string Title, DateTimeOffset UpdatedAt);

/// <summary>django-cachesweeper's <c>using='updated_at'</c>: the data's own version is part of the key.</summary>
public interface IArticlePages
{
    [CacheWithTags(Key = "Article_{article.Id}_{article.UpdatedAt}")]
    string Render(Article article);
}

public sealed class ArticlePages(CallCounter calls) : IArticlePages
{
    public string Render(Article article)
    {
        calls.Hit();
        return $"<h1>{article.Title}</h1>";
    }
}
