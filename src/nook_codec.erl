%% SPDX-License-Identifier: ISC
%% @doc The wire format between nook_port and priv/nook, as pure functions (no I/O).
%%
%% Frames carry a 32-bit length (added by the port's `{packet, 4}' at the outer level).
%% Downward a request for pipeline [A, B] is FORWARD(A){FORWARD(B){CALL}}; upward each hop
%% wraps what it relays in FROM_CHILD(Pid), so the pids collected while unwrapping are the
%% pipeline of the task the frame is about.
-module(nook_codec).

-export([call/4, stdin/2, decode/1, frame_max/0]).

-export_type([message/0]).

-define(DOWN_CALL, 1).
-define(DOWN_FORWARD, 2).
-define(DOWN_STDIN, 3).

-define(UP_REPLY, 1).
-define(UP_EVENT, 2).
-define(UP_FROM_CHILD, 3).
-define(UP_CHILD_EVENT, 4).
-define(UP_STDOUT, 5).
-define(UP_STDERR, 6).
-define(UP_HELLO, 7).

%% Same as NOOK_FRAME_MAX in c_src/nook.h.
-define(FRAME_MAX, (32 bsl 20)).

-type message() ::
    {reply, ReqId :: non_neg_integer(), result | raise, term()}
    | {event, term()}
    | {stdout, binary()}
    | {stderr, binary()}
    | {hello, term()}.

-spec frame_max() -> pos_integer().
frame_max() -> ?FRAME_MAX.

%% @doc The port command that runs call `CallId' with `Args' in the process at `Pipeline'.
-spec call([nook:pid_t()], non_neg_integer(), non_neg_integer(), [term()]) -> iodata().
call(Pipeline, ReqId, CallId, Args) ->
    Call = [<<?DOWN_CALL, ReqId:32, CallId:16>>, term_to_binary(list_to_tuple(Args))],
    route(Pipeline, Call).

%% @doc The port command that writes `Data' to the stdin of the process at `Pipeline'; its
%% parent does the writing.
-spec stdin([nook:pid_t(), ...], iodata()) -> iodata().
stdin(Pipeline, Data) ->
    {Parent, [Pid]} = lists:split(length(Pipeline) - 1, Pipeline),
    route(Parent, [<<?DOWN_STDIN, Pid:32>>, Data]).

route([], Frame) ->
    Frame;
route([Pid | Rest], Frame) ->
    Inner = route(Rest, Frame),
    [<<?DOWN_FORWARD, Pid:32, (iolist_size(Inner)):32>>, Inner].

%% @doc One frame from the port (its outer length already removed).
-spec decode(binary()) -> {ok, [nook:pid_t()], message()} | {error, {badframe, binary()}}.
decode(Frame) ->
    try
        decode(Frame, [])
    catch
        error:_ -> {error, {badframe, Frame}}
    end.

decode(<<?UP_FROM_CHILD, Pid:32, Len:32, Inner:Len/binary>>, Acc) ->
    decode(Inner, [Pid | Acc]);
decode(<<?UP_REPLY, ReqId:32, Status, Term/binary>>, Acc) ->
    Kind = case Status of 0 -> result; 1 -> raise end,
    {ok, lists:reverse(Acc), {reply, ReqId, Kind, binary_to_term(Term)}};
decode(<<?UP_EVENT, Term/binary>>, Acc) ->
    {ok, lists:reverse(Acc), {event, binary_to_term(Term)}};
decode(<<?UP_CHILD_EVENT, Pid:32, Term/binary>>, Acc) ->
    {ok, lists:reverse([Pid | Acc]), {event, binary_to_term(Term)}};
decode(<<?UP_STDOUT, Pid:32, Data/binary>>, Acc) ->
    {ok, lists:reverse([Pid | Acc]), {stdout, Data}};
decode(<<?UP_STDERR, Pid:32, Data/binary>>, Acc) ->
    {ok, lists:reverse([Pid | Acc]), {stderr, Data}};
decode(<<?UP_HELLO, Term/binary>>, []) ->
    {ok, [], {hello, binary_to_term(Term)}}.
