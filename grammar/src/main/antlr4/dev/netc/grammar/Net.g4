/*
 * The grammar of Netc's .net language. Semantics live in spec/language.md; this file only says what is
 * well-formed text. Statement separators are optional: every statement is self-delimiting.
 */
grammar Net;

file
    : importDecl* decl* EOF
    ;

importDecl
    : IMPORT STRING SEMI?
    ;

decl
    : BLOCK name=IDENT LPAREN paramList? RPAREN body             # blockDecl
    | NETWORK name=IDENT (LPAREN paramList? RPAREN)? body        # networkDecl
    ;

paramList
    : param (COMMA param)* COMMA?
    ;

param
    : name=IDENT COLON type (ASSIGN expr)?
    ;

type
    : IDENT                                      # namedType
    | LPAREN type (COMMA type)* RPAREN           # tupleType
    ;

body
    : LBRACE stmt* RBRACE
    ;

stmt
    : LET name=IDENT ASSIGN expr SEMI?                                   # letStmt
    | INPUT name=word COLON modifier=IDENT? shape=listExpr SEMI?         # inputStmt
    | HEAD name=word body                                                # headStmt
    | ifStmt                                                             # ifStatement
    | REPEAT count=expr (AS index=IDENT)? (COLON element | body)         # repeatStmt
    | element                                                            # elementStmt
    ;

ifStmt
    : IF cond=expr then=body (ELSE (otherwise=body | elseIf=ifStmt))?
    ;

/** One layer of a sequence (or one branch of a parallel): optional label, the layer, optional tensor binding. */
element
    : (label COLON)? layer (ARROW bind=word (LBRACK bindIndex=expr RBRACK)?)? SEMI?
    ;

/**
 * {@code conv1:}, {@code filt[i]:} (named filt.<i>), or a quoted name for PyTorch module names that are no words
 * ({@code "block1-0":}); a quoted label may hold expressions in braces ({@code "block{s}-{i}":}), read by the
 * compiler.
 */
label
    : word (LBRACK expr RBRACK)?
    | quoted=STRING
    ;

/**
 * Names of layers, tensors, inputs and heads may be any word, keywords included: PyTorch modules and tensors are
 * often named `block`, `head`, `gate` or `input`. Keywords are reserved only where a statement begins.
 */
word
    : IDENT | IMPORT | BLOCK | NETWORK | LET | INPUT | HEAD | IF | THEN | ELSE | REPEAT | AS | RESIDUAL
    | SHORTCUT | WHEN | STAGE | SEQ | GATE | IN | TRUE | FALSE | AND | OR | NOT | REUSE
    ;

layer
    : (STAGE | SEQ) body                                                       # sequenceLayer
    | LBRACK (element (COMMA element)* COMMA?)? RBRACK                         # listLayer
    | RESIDUAL (WHEN cond=expr)? main=body (SHORTCUT (WHEN scond=expr)? shortcut=body)?   # residualLayer
    | GATE body                                                                # gateLayer
    | AT word LBRACK STAR RBRACK                                               # familyLayer
    | AT word (LBRACK expr RBRACK)?                                            # tensorLayer
    | REUSE word (LBRACK expr RBRACK)?                                         # reuseLayer
    | IDENT (LPAREN argList? RPAREN)? body?                                    # callLayer
    ;

argList
    : arg (COMMA arg)* COMMA?
    ;

/**
 * A value, positional or named; or a named output of the op bound to a tensor name: {@code indices: -> idx} (the
 * indices of a max pooling), read back as {@code @idx}.
 */
arg
    : (name=IDENT COLON)? value=expr
    | name=IDENT COLON ARROW bind=word (LBRACK bindIndex=expr RBRACK)?
    ;

expr
    : primary                                                        # primaryExpr
    | expr DOT IDENT                                                 # memberExpr
    | expr LBRACK expr RBRACK                                        # indexExpr
    | <assoc=right> expr POW expr                                    # powExpr
    | op=(MINUS | PLUS) expr                                         # unaryExpr
    | expr op=(STAR | SLASH | DSLASH | PERCENT) expr                 # mulExpr
    | expr op=(PLUS | MINUS) expr                                    # addExpr
    | expr op=(LT | LE | GT | GE | EQ | NE) expr                     # compareExpr
    | NOT expr                                                       # notExpr
    | expr AND expr                                                  # andExpr
    | expr OR expr                                                   # orExpr
    | IF cond=expr THEN a=expr ELSE b=expr                           # condExpr
    ;

primary
    : INT                                                            # intLit
    | FLOAT                                                          # floatLit
    | (TRUE | FALSE)                                                 # boolLit
    | STRING                                                         # stringLit
    | IN                                                             # inRef
    | AT word LBRACK STAR RBRACK                                      # familyRef
    | AT word                                                        # tensorRef
    | IDENT LPAREN argList? RPAREN                                   # callExpr
    | IDENT                                                          # nameRef
    | LPAREN expr RPAREN                                             # parenExpr
    | LPAREN expr COMMA (expr (COMMA expr)* COMMA?)? RPAREN          # tupleExpr
    | listExpr                                                       # listLit
    ;

listExpr
    : LBRACK (expr (COMMA expr)* COMMA?)? RBRACK
    ;

// ---- lexer ----
IMPORT   : 'import';
BLOCK    : 'block';
NETWORK  : 'network';
LET      : 'let';
INPUT    : 'input';
HEAD     : 'head';
IF       : 'if';
THEN     : 'then';
ELSE     : 'else';
REPEAT   : 'repeat';
AS       : 'as';
RESIDUAL : 'residual';
SHORTCUT : 'shortcut';
WHEN     : 'when';
STAGE    : 'stage';
SEQ      : 'seq';
GATE     : 'gate';
IN       : 'in';
TRUE     : 'true';
FALSE    : 'false';
AND      : 'and';
OR       : 'or';
NOT      : 'not';
REUSE    : 'reuse';

ARROW  : '->';
LPAREN : '(';
RPAREN : ')';
LBRACE : '{';
RBRACE : '}';
LBRACK : '[';
RBRACK : ']';
COMMA  : ',';
COLON  : ':';
SEMI   : ';';
DOT    : '.';
AT     : '@';
ASSIGN : '=';
EQ     : '==';
NE     : '!=';
LE     : '<=';
GE     : '>=';
LT     : '<';
GT     : '>';
PLUS   : '+';
MINUS  : '-';
POW    : '**';
STAR   : '*';
DSLASH : '//';
SLASH  : '/';
PERCENT: '%';

FLOAT
    : DIGITS '.' DIGITS EXPONENT?
    | DIGITS EXPONENT
    ;
INT    : DIGITS;
IDENT  : [a-zA-Z_] [a-zA-Z_0-9]*;
STRING : '"' (~["\\\r\n] | '\\' .)* '"';

fragment DIGITS   : [0-9] ('_'? [0-9])*;
fragment EXPONENT : [eE] [+-]? [0-9]+;

LINE_COMMENT  : '#' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);
WS            : [ \t\r\n\f]+ -> channel(HIDDEN);
/** A string or block comment that runs to the end of the line or file: reported as such, not as noise. */
UNTERMINATED_STRING  : '"' (~["\\\r\n] | '\\' .)*;
UNTERMINATED_COMMENT : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF;
/** Anything else is one bad character; the parser reports it with its position. */
BAD_CHAR      : . ;
