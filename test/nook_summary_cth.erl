%% SPDX-License-Identifier: ISC
%% @doc Common Test hook that counts passed, failed and skipped cases for bin/test, which
%% prints the whole run's `N passed, N failed, N skipped' line. A configuration function that
%% fails counts as a failure; every skip is listed with its reason.
-module(nook_summary_cth).

-export([init/2, post_end_per_testcase/5, on_tc_fail/4, on_tc_skip/4, terminate/1]).

-record(st, {passed = 0, failed = 0, skipped = [] :: [{atom(), term(), term()}]}).

-spec init(term(), term()) -> {ok, #st{}}.
init(_Id, _Opts) -> {ok, #st{}}.

-spec post_end_per_testcase(atom(), term(), list(), term(), #st{}) -> {term(), #st{}}.
post_end_per_testcase(_Suite, _TC, Config, Return, St) ->
    case proplists:get_value(tc_status, Config) of
        ok -> {Return, St#st{passed = St#st.passed + 1}};
        _ -> {Return, St}
    end.

-spec on_tc_fail(atom(), term(), term(), #st{}) -> #st{}.
on_tc_fail(_Suite, _TC, _Reason, St) -> St#st{failed = St#st.failed + 1}.

-spec on_tc_skip(atom(), term(), term(), #st{}) -> #st{}.
on_tc_skip(Suite, TC, Reason, St) -> St#st{skipped = [{Suite, TC, Reason} | St#st.skipped]}.

-spec terminate(#st{}) -> ok.
terminate(#st{passed = P, failed = F, skipped = S}) ->
    [io:format(user, "SKIPPED ~p:~p: ~p~n", [Suite, TC, Reason])
     || {Suite, TC, Reason} <- lists:reverse(S)],
    case os:getenv("NOOK_SUMMARY_FILE") of
        false -> ok;
        File ->
            %% Several runs may share the file (one per suite): add to what is there.
            {P0, F0, S0} = case file:read_file(File) of
                               {ok, Bin} ->
                                   case [binary_to_integer(W) || W <- string:lexemes(Bin, " \n")] of
                                       [A, B, C] -> {A, B, C};
                                       _ -> {0, 0, 0}
                                   end;
                               _ ->
                                   {0, 0, 0}
                           end,
            ok = file:write_file(File, io_lib:format("~b ~b ~b~n",
                                                     [P0 + P, F0 + F, S0 + length(S)]))
    end.
