-- Neovim's built-in LSP client against `annals lsp`: open a record file
-- with an unknown actor, wait for diagnostics, check one is reported at
-- its line. Run by tests/clients/run:
--   ANNALS=... RECORD=... nvim --headless --clean -c 'luafile nvim_check.lua'
-- Written for Neovim 0.7 (Debian 12): start_client + buf_attach_client.
local annals, record = os.getenv("ANNALS"), os.getenv("RECORD")
local function finish(ok, msg)
  io.stdout:write(msg .. "\n")
  vim.cmd(ok and "qa!" or "cq!")
end
vim.cmd("edit " .. vim.fn.fnameescape(record .. "/events.yaml"))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = "annals",
  cmd = { annals, "--dir", record, "lsp" },
  root_dir = record,
})
if not id then finish(false, "nvim: the client did not start") end
vim.lsp.buf_attach_client(buf, id)
local found = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
if not found then finish(false, "nvim: no diagnostics within 20 s") end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  -- Line 13 of the file, 0-based 12: `- {actor: kishida-fumo, role: target}`.
  if d.lnum == 12 and d.col == 16 and d.message:find("unknown actor `kishida%-fumo`") then
    finish(true, "nvim: unknown-actor at line 13, column 17")
  end
end
finish(false, "nvim: diagnostics, but not the unknown actor at line 13: " .. vim.inspect(vim.diagnostic.get(buf)))
