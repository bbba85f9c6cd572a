using System.Globalization;
using StreamMonitor.Monitoring.Events;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// A condition on a frame's summary quantities, written as text, e.g. <c>n_max in [20,200] and not fraction:bcc &gt; 0.1</c>.
/// Picks the frames that become shooting points.
/// </summary>
/// <remarks>
/// <code>
/// expr := and ( 'or' and )*
/// and  := term ( 'and' term )*
/// term := QUANTITY 'in' '[' NUM ',' NUM ']' | QUANTITY ('&lt;'|'&lt;='|'&gt;'|'&gt;='|'=='|'!=') NUM | 'not' term | '(' expr ')'
/// </code>
/// Quantities are <see cref="SummaryQuantities"/> names; ranges include both ends. A quantity the summary does not carry
/// (null: mean q6, surface/core or interface measures that were not computed) makes its comparison false, so
/// <c>not</c> of it is true. Keywords may be written in any case; quantity names are exact.
/// </remarks>
public sealed class SummaryFilter
{
    private readonly Node _root;

    private SummaryFilter(string text, Node root, IReadOnlyList<string> quantities)
    {
        Text = text;
        _root = root;
        Quantities = quantities;
    }

    /// <summary>The expression as given.</summary>
    public string Text { get; }

    /// <summary>The quantities the expression reads, each once, in order of first use.</summary>
    public IReadOnlyList<string> Quantities { get; }

    /// <summary>
    /// Parses <paramref name="text"/>. A mistake is an <see cref="ArgumentException"/> naming the offending token and
    /// its position (an unknown quantity lists the known ones).
    /// </summary>
    public static SummaryFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var root = parser.ParseAll();
        return new SummaryFilter(text, root, parser.Quantities);
    }

    /// <summary>
    /// True when <paramref name="summary"/> satisfies the expression. A class the run's model does not have is an
    /// <see cref="ArgumentException"/> (from <see cref="SummaryQuantities.Get"/>).
    /// </summary>
    public bool Matches(FrameSummary summary) => _root.Evaluate(summary);

    public override string ToString() => Text;

    private abstract record Node
    {
        public abstract bool Evaluate(FrameSummary summary);
    }

    private sealed record Or(Node Left, Node Right) : Node
    {
        public override bool Evaluate(FrameSummary summary) => Left.Evaluate(summary) || Right.Evaluate(summary);
    }

    private sealed record And(Node Left, Node Right) : Node
    {
        public override bool Evaluate(FrameSummary summary) => Left.Evaluate(summary) && Right.Evaluate(summary);
    }

    private sealed record Not(Node Inner) : Node
    {
        public override bool Evaluate(FrameSummary summary) => !Inner.Evaluate(summary);
    }

    private sealed record InRange(string Quantity, double Low, double High) : Node
    {
        public override bool Evaluate(FrameSummary summary) =>
            SummaryQuantities.Get(summary, Quantity) is { } value && value >= Low && value <= High;
    }

    private sealed record Comparison(string Quantity, string Operator, double Bound) : Node
    {
        public override bool Evaluate(FrameSummary summary) => SummaryQuantities.Get(summary, Quantity) is { } value && Operator switch
        {
            "<" => value < Bound,
            "<=" => value <= Bound,
            ">" => value > Bound,
            ">=" => value >= Bound,
            "==" => value == Bound,
            _ => value != Bound,
        };
    }

    private enum TokenKind { Word, Number, Symbol, End }

    private readonly record struct Token(TokenKind Kind, string Text, int Position)
    {
        public bool IsKeyword(string keyword) => Kind == TokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

        public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

        /// <summary>How an error message names it: the text and where it starts (1-based, as editors count).</summary>
        public string Describe() => Kind == TokenKind.End ? "the end of the expression" : $"'{Text}' at position {Position + 1}";
    }

    /// <summary>Recursive descent over the tokens, one method per grammar rule.</summary>
    private sealed class Parser
    {
        private static readonly string[] Comparisons = ["<=", ">=", "==", "!=", "<", ">"];
        private static readonly string[] Keywords = ["and", "or", "not", "in"];

        private readonly List<Token> _tokens;
        private readonly List<string> _quantities = [];
        private int _next;

        public Parser(string text) => _tokens = Tokenize(text);

        public IReadOnlyList<string> Quantities => _quantities;

        public Node ParseAll()
        {
            if (Peek.Kind == TokenKind.End) throw new ArgumentException("the filter is empty: give a condition such as 'n_max in [20,200]'");
            var root = ParseOr();
            if (Peek.Kind != TokenKind.End) throw Expected("'and', 'or' or the end of the expression");
            return root;
        }

        private Token Peek => _tokens[_next];

        private Token Take() => _tokens[_next++];

        private Node ParseOr() => ParseChain("or", ParseAnd, (left, right) => new Or(left, right));

        private Node ParseAnd() => ParseChain("and", ParseTerm, (left, right) => new And(left, right));

        /// <summary><c>operand ( keyword operand )*</c>, grouped from the left.</summary>
        private Node ParseChain(string keyword, Func<Node> operand, Func<Node, Node, Node> combine)
        {
            var node = operand();
            while (Peek.IsKeyword(keyword))
            {
                Take();
                node = combine(node, operand());
            }
            return node;
        }

        private Node ParseTerm()
        {
            if (Peek.IsKeyword("not"))
            {
                Take();
                return new Not(ParseTerm());
            }
            if (Peek.IsSymbol("("))
            {
                Take();
                var inner = ParseOr();
                Expect(")");
                return inner;
            }
            var quantity = ParseQuantity();
            if (Peek.IsKeyword("in"))
            {
                Take();
                Expect("[");
                double low = ParseNumber();
                Expect(",");
                double high = ParseNumber();
                Expect("]");
                if (low > high) throw new ArgumentException($"the range of {quantity} is empty: [{Format(low)},{Format(high)}] (write the lower bound first)");
                return new InRange(quantity, low, high);
            }
            if (Peek.Kind == TokenKind.Symbol && Comparisons.Contains(Peek.Text))
            {
                var op = Take().Text;
                return new Comparison(quantity, op, ParseNumber());
            }
            throw Expected($"'in [LOW,HIGH]' or a comparison ({string.Join(' ', Comparisons)}) after {quantity}");
        }

        private string ParseQuantity()
        {
            var token = Peek;
            if (token.Kind != TokenKind.Word || Keywords.Any(token.IsKeyword))
                throw Expected($"a quantity ({SummaryQuantities.Known}), 'not' or '('");
            Take();
            if (!SummaryQuantities.IsKnown(token.Text))
                throw new ArgumentException($"unknown quantity {token.Describe()} (known: {SummaryQuantities.Known})");
            if (!_quantities.Contains(token.Text)) _quantities.Add(token.Text);
            return token.Text;
        }

        private double ParseNumber()
        {
            var token = Peek;
            if (token.Kind != TokenKind.Number) throw Expected("a number");
            Take();
            return double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
                ? value
                : throw new ArgumentException($"{token.Describe()} is not a finite number");
        }

        private void Expect(string symbol)
        {
            if (!Peek.IsSymbol(symbol)) throw Expected($"'{symbol}'");
            Take();
        }

        private ArgumentException Expected(string what) => new($"expected {what}, found {Peek.Describe()}");

        private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

        private static List<Token> Tokenize(string text)
        {
            var tokens = new List<Token>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }
                int start = i;
                if (char.IsLetter(c) || c == '_')
                {
                    // Class names follow the colon of class:NAME and fraction:NAME and may hold digits, '-' and '.'.
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or ':' or '-' or '.')) i++;
                    tokens.Add(new Token(TokenKind.Word, text[start..i], start));
                }
                else if (char.IsDigit(c) || (c is '-' or '+' or '.' && i + 1 < text.Length && (char.IsDigit(text[i + 1]) || text[i + 1] == '.')))
                {
                    i++;
                    while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.'
                                               || (text[i] is '-' or '+' && text[i - 1] is 'e' or 'E'))) i++;
                    tokens.Add(new Token(TokenKind.Number, text[start..i], start));
                }
                else if (Comparisons.FirstOrDefault(op => string.CompareOrdinal(text, i, op, 0, op.Length) == 0) is { } op)
                {
                    i += op.Length;
                    tokens.Add(new Token(TokenKind.Symbol, op, start));
                }
                else if (c is '(' or ')' or '[' or ']' or ',')
                {
                    i++;
                    tokens.Add(new Token(TokenKind.Symbol, c.ToString(), start));
                }
                else
                {
                    throw new ArgumentException($"unexpected character '{c}' at position {start + 1} of the filter");
                }
            }
            tokens.Add(new Token(TokenKind.End, "", text.Length));
            return tokens;
        }
    }
}
